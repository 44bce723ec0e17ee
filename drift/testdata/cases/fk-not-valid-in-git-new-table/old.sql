CREATE TABLE public.a (id int PRIMARY KEY);
