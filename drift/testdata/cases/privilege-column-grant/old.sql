CREATE TABLE public.t (id int PRIMARY KEY, email text, secret text);
GRANT SELECT (id) ON public.t TO schemactl_case_reader;
