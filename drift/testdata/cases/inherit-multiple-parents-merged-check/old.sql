CREATE TABLE public.a (id int, qty int DEFAULT 1);
CREATE TABLE public.b (code text, qty int DEFAULT 1);
CREATE TABLE public.c (x int) INHERITS (public.a, public.b);
