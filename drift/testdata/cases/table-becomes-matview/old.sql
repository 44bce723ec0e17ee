CREATE TABLE public.t (id int PRIMARY KEY);
CREATE TABLE public.s (id int);
