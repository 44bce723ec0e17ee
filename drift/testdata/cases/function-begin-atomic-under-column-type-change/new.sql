CREATE TABLE public.t (id int PRIMARY KEY, v text, n bigint);
CREATE FUNCTION public.n_total() RETURNS numeric LANGUAGE sql STABLE BEGIN ATOMIC SELECT sum(n) FROM public.t; END;
