CREATE TYPE public.st AS ENUM ('a', 'b', 'c');
CREATE TABLE public.t (id int PRIMARY KEY, s public.st);
CREATE VIEW public.open_t AS SELECT id FROM public.t WHERE s <> 'b';
