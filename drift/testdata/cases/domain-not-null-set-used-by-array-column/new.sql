CREATE DOMAIN public.qty AS int NOT NULL;
CREATE TABLE public.t (id int PRIMARY KEY, qs public.qty[]);
