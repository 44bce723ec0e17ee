CREATE TYPE public.st AS ENUM ('a', 'c');
CREATE TABLE public.t (id int PRIMARY KEY, s public.st);
CREATE MATERIALIZED VIEW public.m AS SELECT id, s FROM public.t;
