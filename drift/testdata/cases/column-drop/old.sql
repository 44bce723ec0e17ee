CREATE TABLE public.t (id int PRIMARY KEY, legacy text, keep text);
