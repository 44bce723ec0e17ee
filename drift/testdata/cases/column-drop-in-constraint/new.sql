CREATE TABLE public.t (id int PRIMARY KEY, a int, CONSTRAINT t_ab UNIQUE (a), CONSTRAINT t_chk CHECK (a > 0));
