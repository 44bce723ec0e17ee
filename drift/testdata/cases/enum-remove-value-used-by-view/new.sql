CREATE TYPE public.st AS ENUM ('a', 'c');
CREATE TABLE public.t (id int PRIMARY KEY, s public.st);
CREATE VIEW public.open_t AS SELECT id FROM public.t WHERE s <> 'c';
