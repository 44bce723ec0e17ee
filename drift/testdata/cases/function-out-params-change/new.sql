CREATE FUNCTION public.f(x int, OUT a int, OUT b text) LANGUAGE sql AS 'SELECT x, x::text';
