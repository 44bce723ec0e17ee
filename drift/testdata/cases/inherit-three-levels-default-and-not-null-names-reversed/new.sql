CREATE TABLE public.z_top (id int, status text DEFAULT 'open');
CREATE TABLE public.m_mid (extra int) INHERITS (public.z_top);
ALTER TABLE public.m_mid ALTER COLUMN status SET DEFAULT 'mid-open';
CREATE TABLE public.a_leaf (more int) INHERITS (public.m_mid);
ALTER TABLE public.a_leaf ALTER COLUMN status SET DEFAULT 'leaf-open';
-- the leaf keeps NOT NULL, which the top drops
ALTER TABLE public.a_leaf ALTER COLUMN status SET NOT NULL;
