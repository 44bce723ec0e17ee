CREATE TABLE public.t (id int NOT NULL, name text, CONSTRAINT t_pkey PRIMARY KEY (id));
