CREATE TABLE public.t (id int, v text, CONSTRAINT t_pk PRIMARY KEY (id));
