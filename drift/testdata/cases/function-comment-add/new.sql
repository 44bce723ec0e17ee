CREATE FUNCTION public.f(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT x + 1';
COMMENT ON FUNCTION public.f(int) IS 'adds one';
