CREATE TABLE public.a (id int, note text);
CREATE TABLE public.b (code text, note text);
CREATE TABLE public.c (code text, x int) INHERITS (public.a);
