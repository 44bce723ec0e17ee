CREATE TYPE public.st AS ENUM ('a', 'c');
CREATE DOMAIN public.st_d AS public.st;
CREATE TABLE public.t (id int PRIMARY KEY, s public.st_d);
