CREATE TYPE public.st AS ENUM ('new', 'done');
CREATE TABLE public.a (s public.st);
CREATE TABLE public.b (s public.st);
CREATE TABLE public.c (id int) INHERITS (public.a, public.b);
