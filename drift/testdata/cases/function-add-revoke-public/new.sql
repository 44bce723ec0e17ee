CREATE TABLE public.t (id int PRIMARY KEY);
CREATE FUNCTION public.sensitive(n int) RETURNS int LANGUAGE sql AS $$ SELECT n $$;
REVOKE EXECUTE ON FUNCTION public.sensitive(int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.sensitive(int) TO schemactl_case_writer;
