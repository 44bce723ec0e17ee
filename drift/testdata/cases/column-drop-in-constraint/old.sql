CREATE TABLE public.t (id int PRIMARY KEY, a int, b int, CONSTRAINT t_ab UNIQUE (a, b), CONSTRAINT t_chk CHECK (a < b));
