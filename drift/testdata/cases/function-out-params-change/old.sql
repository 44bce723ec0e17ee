CREATE FUNCTION public.f(x int, OUT a int, OUT b int) LANGUAGE sql AS 'SELECT x, x';
