CREATE DOMAIN public.qty AS int;
CREATE TABLE public.t (id int PRIMARY KEY, qs public.qty[]);
