CREATE FUNCTION public.seed_n() RETURNS bigint LANGUAGE sql IMMUTABLE AS 'SELECT 7::bigint';
CREATE TABLE public.t (id int PRIMARY KEY, n bigint DEFAULT public.seed_n());
