CREATE FUNCTION public.add(a int, b int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT a + b';
CREATE TABLE public.t (id int PRIMARY KEY, x int, y int, s int GENERATED ALWAYS AS (public.add(x, y)) STORED);
