CREATE TABLE public.a (id int, note text);
CREATE TABLE public.b (code text, note text);
CREATE TABLE public.c (x int) INHERITS (public.a, public.b);
