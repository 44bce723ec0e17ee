CREATE TABLE public.m (id int, at date NOT NULL) PARTITION BY RANGE (at);
