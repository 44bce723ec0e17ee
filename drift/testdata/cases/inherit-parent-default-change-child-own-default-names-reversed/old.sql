CREATE TABLE public.z_base (id int, status text DEFAULT 'new');
CREATE TABLE public.a_child (extra int) INHERITS (public.z_base);
ALTER TABLE public.a_child ALTER COLUMN status SET DEFAULT 'a_child-new';
CREATE TABLE public.b_other_child (more int) INHERITS (public.z_base);
