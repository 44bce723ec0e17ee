CREATE DOMAIN public.qty AS int DEFAULT 1;
CREATE TABLE public.t (id int PRIMARY KEY, q public.qty);
