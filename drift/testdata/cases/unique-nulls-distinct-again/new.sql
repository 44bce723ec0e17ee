CREATE TABLE public.t (id int PRIMARY KEY, a int, CONSTRAINT t_a UNIQUE (a));
