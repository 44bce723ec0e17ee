CREATE TABLE public.t (id int PRIMARY KEY, v text, n int);
