CREATE TYPE public.st AS ENUM ('a', 'c');
COMMENT ON TYPE public.st IS 'states';
CREATE TABLE public.t (id int PRIMARY KEY, s public.st);
