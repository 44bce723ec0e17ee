CREATE TABLE public.t (id int PRIMARY KEY);
ALTER TABLE public.t OWNER TO schemactl_case_writer;
