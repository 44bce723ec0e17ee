CREATE TABLE public.t (id int PRIMARY KEY);
CREATE FUNCTION public.t_count() RETURNS bigint LANGUAGE sql STABLE AS 'SELECT count(*) FROM public.t';
