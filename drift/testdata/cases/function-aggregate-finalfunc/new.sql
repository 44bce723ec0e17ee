CREATE TABLE public.t (id int PRIMARY KEY, v text, n int);
CREATE FUNCTION public.add2(s int, x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT s + x';
CREATE FUNCTION public.neg(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT -x';
CREATE AGGREGATE public.total(int) (SFUNC = public.add2, STYPE = int, INITCOND = '0', FINALFUNC = public.neg);
