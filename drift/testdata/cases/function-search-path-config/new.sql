CREATE FUNCTION public.f(x int) RETURNS int LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, public AS 'SELECT x + 1';
