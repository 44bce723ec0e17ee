CREATE TABLE public.t (id int PRIMARY KEY);
GRANT SELECT ON public.t TO schemactl_case_reader WITH GRANT OPTION;
