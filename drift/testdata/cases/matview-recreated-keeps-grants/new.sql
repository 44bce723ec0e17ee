CREATE TABLE public.t (id int PRIMARY KEY, n bigint);
CREATE MATERIALIZED VIEW public.m AS SELECT id, n FROM public.t;
GRANT SELECT ON public.m TO schemactl_case_reader;
