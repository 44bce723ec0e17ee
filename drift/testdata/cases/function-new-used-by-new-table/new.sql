CREATE FUNCTION public.pos(x int) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT x > 0';
CREATE TABLE public.t (id int PRIMARY KEY, v text, n int CHECK (public.pos(n)));
CREATE TABLE public.u (id int PRIMARY KEY CHECK (public.pos(id)), d int DEFAULT abs(-1));
