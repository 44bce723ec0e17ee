CREATE TABLE public.t (id int NOT NULL, CONSTRAINT t_id_key UNIQUE (id));
