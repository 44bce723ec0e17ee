CREATE TYPE public.pair AS (a bigint, b int);
CREATE TABLE public.t (id int PRIMARY KEY, p public.pair);
CREATE VIEW public.v AS SELECT id, (p).a AS a FROM public.t;
