CREATE TABLE public.other (id int PRIMARY KEY);
