CREATE TABLE public.a (id int, qty bigint);
CREATE TABLE public.b (code text, qty bigint);
CREATE TABLE public.c (x int) INHERITS (public.a, public.b);
