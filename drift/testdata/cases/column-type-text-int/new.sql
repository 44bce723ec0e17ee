CREATE TABLE public.t (id int PRIMARY KEY, qty integer DEFAULT 0);
