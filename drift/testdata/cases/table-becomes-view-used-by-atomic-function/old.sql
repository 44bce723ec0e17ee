CREATE TABLE public.s (id int PRIMARY KEY, v text);
CREATE FUNCTION public.s_count() RETURNS bigint LANGUAGE sql STABLE BEGIN ATOMIC SELECT count(*) FROM public.s; END;
