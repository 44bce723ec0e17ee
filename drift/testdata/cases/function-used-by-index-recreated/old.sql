CREATE FUNCTION public.norm(x text) RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT lower(x)';
CREATE TABLE public.t (id int PRIMARY KEY, v text);
CREATE INDEX t_norm ON public.t (public.norm(v));
