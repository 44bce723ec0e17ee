CREATE TABLE public.customer (id int PRIMARY KEY, name text);
