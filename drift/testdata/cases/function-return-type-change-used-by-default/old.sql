CREATE FUNCTION public.seed_n() RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT 7';
CREATE TABLE public.t (id int PRIMARY KEY, n bigint DEFAULT public.seed_n());
