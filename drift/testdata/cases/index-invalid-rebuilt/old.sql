CREATE TABLE public.t (id int PRIMARY KEY, v text);
CREATE INDEX t_v ON public.t (v);
UPDATE pg_catalog.pg_index SET indisvalid = false WHERE indexrelid = 'public.t_v'::regclass;
