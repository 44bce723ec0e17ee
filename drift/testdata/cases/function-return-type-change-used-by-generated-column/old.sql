CREATE FUNCTION public.twice(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT x * 2';
CREATE TABLE public.t (id int PRIMARY KEY, n int, d bigint GENERATED ALWAYS AS (public.twice(n)) STORED);
