CREATE DOMAIN public.qty AS int NOT NULL DEFAULT 1;
CREATE TABLE public.t (id int PRIMARY KEY, q public.qty);
