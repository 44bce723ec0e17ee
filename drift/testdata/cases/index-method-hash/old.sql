CREATE TABLE public.t (id int PRIMARY KEY, token text);
