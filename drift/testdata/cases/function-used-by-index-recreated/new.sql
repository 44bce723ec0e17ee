CREATE FUNCTION public.norm(s text) RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT lower(s)';
CREATE TABLE public.t (id int PRIMARY KEY, v text);
CREATE INDEX t_norm ON public.t (public.norm(v));
