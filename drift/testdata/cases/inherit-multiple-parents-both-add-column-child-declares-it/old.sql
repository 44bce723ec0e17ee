CREATE TABLE public.z_a (id int);
CREATE TABLE public.z_b (code text);
CREATE TABLE public.a_c (x int) INHERITS (public.z_a, public.z_b);
