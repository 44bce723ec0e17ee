CREATE TABLE public.t (id int PRIMARY KEY, v text);
CREATE VIEW public.s AS SELECT id, v FROM public.t;
CREATE FUNCTION public.s_count() RETURNS bigint LANGUAGE sql STABLE BEGIN ATOMIC SELECT count(*) FROM public.s; END;
