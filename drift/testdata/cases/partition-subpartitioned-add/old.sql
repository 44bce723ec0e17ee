CREATE TABLE public.m (id int, at date NOT NULL, k int NOT NULL) PARTITION BY RANGE (at);
