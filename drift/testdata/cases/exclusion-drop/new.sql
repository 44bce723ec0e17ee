CREATE TABLE public.boxes (id int PRIMARY KEY, b box);
