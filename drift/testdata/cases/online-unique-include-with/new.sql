CREATE TABLE public.t (id int PRIMARY KEY, a int, b text, CONSTRAINT t_a_key UNIQUE (a) INCLUDE (b) WITH (fillfactor = 70));
