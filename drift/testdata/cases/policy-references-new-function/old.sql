CREATE TABLE public.t (id int PRIMARY KEY, tenant int NOT NULL);
