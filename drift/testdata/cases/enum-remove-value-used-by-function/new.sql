CREATE TYPE public.st AS ENUM ('a', 'c');
CREATE TABLE public.t (id int PRIMARY KEY, s public.st);
CREATE FUNCTION public.is_final(x public.st) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$SELECT x = 'c'$$;
