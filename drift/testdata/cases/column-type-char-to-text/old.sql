CREATE TABLE public.t (id int PRIMARY KEY, code char(5));
