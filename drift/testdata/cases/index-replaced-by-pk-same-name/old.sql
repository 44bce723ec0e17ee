CREATE TABLE public.t (id int NOT NULL, name text);
CREATE INDEX t_pkey ON public.t (id);
