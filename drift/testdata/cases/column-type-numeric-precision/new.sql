CREATE TABLE public.t (id int PRIMARY KEY, amount numeric(14,2));
