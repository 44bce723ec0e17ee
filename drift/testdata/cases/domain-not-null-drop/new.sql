CREATE DOMAIN public.name_t AS varchar(40);
CREATE TABLE public.t (id int PRIMARY KEY, n public.name_t);
