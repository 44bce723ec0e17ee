CREATE FUNCTION public.valid_n(x int) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT x >= 0';
CREATE TABLE public.t (id int PRIMARY KEY, n int CONSTRAINT t_n_valid CHECK (public.valid_n(n)));
