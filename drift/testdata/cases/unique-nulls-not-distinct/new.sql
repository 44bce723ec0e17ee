CREATE TABLE public.t (id int PRIMARY KEY, a int, b int, CONSTRAINT t_ab UNIQUE NULLS NOT DISTINCT (a, b));
