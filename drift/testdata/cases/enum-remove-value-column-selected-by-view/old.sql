CREATE TYPE public.st AS ENUM ('a', 'b', 'c');
CREATE TABLE public.t (id int PRIMARY KEY, s public.st);
CREATE VIEW public.v AS SELECT id, s FROM public.t;
