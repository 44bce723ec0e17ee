CREATE DOMAIN public.qty AS int DEFAULT 0;
CREATE TABLE public.t (id int PRIMARY KEY, q public.qty);
