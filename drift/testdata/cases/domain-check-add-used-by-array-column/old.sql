CREATE DOMAIN public.qty AS int;
CREATE TABLE public.t (id int PRIMARY KEY, q public.qty, qs public.qty[]);
