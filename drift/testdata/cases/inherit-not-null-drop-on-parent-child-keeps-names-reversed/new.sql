CREATE TABLE public.z_base (id int, name text DEFAULT 'n');
CREATE TABLE public.a_child (extra int, name text NOT NULL DEFAULT 'n') INHERITS (public.z_base);
