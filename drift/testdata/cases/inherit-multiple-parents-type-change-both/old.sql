CREATE TABLE public.a (id int, qty int);
CREATE TABLE public.b (code text, qty int);
CREATE TABLE public.c (x int) INHERITS (public.a, public.b);
