CREATE TABLE public.t (id int PRIMARY KEY, v text, n int);
CREATE FUNCTION public.n_total() RETURNS bigint LANGUAGE sql STABLE BEGIN ATOMIC SELECT sum(n) FROM public.t; END;
