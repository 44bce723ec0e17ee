CREATE TABLE public.b (id int PRIMARY KEY, a_id int);
