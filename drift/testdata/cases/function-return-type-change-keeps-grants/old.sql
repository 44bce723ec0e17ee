CREATE TABLE public.t (id int PRIMARY KEY, n int);
CREATE FUNCTION public.f(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT x + 1';
REVOKE EXECUTE ON FUNCTION public.f(int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.f(int) TO schemactl_case_reader;
