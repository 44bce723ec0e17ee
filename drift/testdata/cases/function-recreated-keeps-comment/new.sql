CREATE FUNCTION public.f(x int) RETURNS bigint LANGUAGE sql IMMUTABLE AS 'SELECT x + 1';
COMMENT ON FUNCTION public.f(int) IS 'adds one';
