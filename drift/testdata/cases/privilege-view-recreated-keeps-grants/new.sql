CREATE TABLE public.t (id int PRIMARY KEY, a int, b int);
CREATE VIEW public.v AS SELECT id, b AS a FROM public.t WHERE b > 0;
GRANT SELECT ON public.v TO schemactl_case_reader;
