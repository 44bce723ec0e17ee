CREATE TABLE public.t (a int NOT NULL, b int NOT NULL, v text, CONSTRAINT t_pkey PRIMARY KEY (a, b));
