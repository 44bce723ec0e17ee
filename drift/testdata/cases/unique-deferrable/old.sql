CREATE TABLE public.t (id int PRIMARY KEY, pos int NOT NULL, CONSTRAINT t_pos UNIQUE (pos));
