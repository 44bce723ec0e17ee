CREATE TABLE public.t (id int PRIMARY KEY);
GRANT ALL ON public.t TO schemactl_case_writer;
