CREATE TABLE public.t (id int, v text);
