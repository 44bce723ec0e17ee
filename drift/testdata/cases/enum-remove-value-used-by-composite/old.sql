CREATE TYPE public.st AS ENUM ('a', 'b', 'c');
CREATE TYPE public.item AS (name text, s public.st);
CREATE TABLE public.t (id int PRIMARY KEY, s public.st);
