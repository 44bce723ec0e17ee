CREATE TABLE public.z_base (id int);
CREATE TABLE public.a_child (extra int) INHERITS (public.z_base);
