CREATE TABLE public.t (id int PRIMARY KEY, old_col text);
GRANT SELECT (old_col) ON public.t TO schemactl_case_reader;
GRANT SELECT ON public.t TO schemactl_case_writer;
