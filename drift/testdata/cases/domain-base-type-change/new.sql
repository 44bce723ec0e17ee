CREATE DOMAIN public.qty AS bigint;
CREATE TABLE public.t (id int PRIMARY KEY, q public.qty);
