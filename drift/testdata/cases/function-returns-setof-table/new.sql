CREATE TABLE public.t (id int PRIMARY KEY, v text);
CREATE FUNCTION public.all_t() RETURNS SETOF public.t LANGUAGE sql STABLE AS 'SELECT * FROM public.t';
