CREATE TABLE public.t (id int PRIMARY KEY, a int, b int);
CREATE VIEW public.v AS SELECT id, a FROM public.t;
GRANT SELECT ON public.v TO schemactl_case_reader;
