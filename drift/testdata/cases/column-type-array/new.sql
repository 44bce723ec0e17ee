CREATE TABLE public.t (id int PRIMARY KEY, tags text[]);
