CREATE TABLE public.t (id int PRIMARY KEY, v text, n int);
CREATE FUNCTION public.f(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT x + 1';
