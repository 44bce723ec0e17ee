CREATE FUNCTION public.valid_n(v int) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT v >= 0';
CREATE TABLE public.t (id int PRIMARY KEY, n int CONSTRAINT t_n_valid CHECK (public.valid_n(n)));
