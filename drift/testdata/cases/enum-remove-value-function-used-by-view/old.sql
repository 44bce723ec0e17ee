CREATE TYPE public.st AS ENUM ('a', 'b', 'c');
CREATE TABLE public.t (id int PRIMARY KEY, s public.st);
CREATE FUNCTION public.is_final(x public.st) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$SELECT x = 'c'$$;
CREATE VIEW public.v AS SELECT id, public.is_final(s) AS final FROM public.t;
