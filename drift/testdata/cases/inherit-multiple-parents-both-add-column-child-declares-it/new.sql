CREATE TABLE public.z_a (id int);
CREATE TABLE public.z_b (code text);
CREATE TABLE public.a_c (x int, note text) INHERITS (public.z_a, public.z_b);
ALTER TABLE public.z_a ADD COLUMN note text;
ALTER TABLE public.z_b ADD COLUMN note text;
