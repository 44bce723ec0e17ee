CREATE TABLE public.a_top (id int, status text NOT NULL DEFAULT 'new');
CREATE TABLE public.m_mid (extra int) INHERITS (public.a_top);
ALTER TABLE public.m_mid ALTER COLUMN status SET DEFAULT 'mid-new';
CREATE TABLE public.z_leaf (more int) INHERITS (public.m_mid);
ALTER TABLE public.z_leaf ALTER COLUMN status SET DEFAULT 'leaf-new';
