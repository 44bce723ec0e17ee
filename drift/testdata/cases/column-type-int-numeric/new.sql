CREATE TABLE public.t (id int PRIMARY KEY, n numeric(10,0));
