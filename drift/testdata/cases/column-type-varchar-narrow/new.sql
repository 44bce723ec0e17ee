CREATE TABLE public.t (id int PRIMARY KEY, code varchar(10) NOT NULL);
