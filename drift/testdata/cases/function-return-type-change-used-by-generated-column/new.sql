CREATE FUNCTION public.twice(x int) RETURNS bigint LANGUAGE sql IMMUTABLE AS 'SELECT x::bigint * 2';
CREATE TABLE public.t (id int PRIMARY KEY, n int, d bigint GENERATED ALWAYS AS (public.twice(n)) STORED);
