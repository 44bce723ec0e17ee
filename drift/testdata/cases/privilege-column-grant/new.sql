CREATE TABLE public.t (id int PRIMARY KEY, email text, secret text);
GRANT SELECT (id, email), UPDATE (email) ON public.t TO schemactl_case_reader;
