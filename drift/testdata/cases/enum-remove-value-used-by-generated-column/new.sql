CREATE TYPE public.st AS ENUM ('a', 'c');
CREATE TABLE public.t (id int PRIMARY KEY, s public.st, done boolean GENERATED ALWAYS AS (s = 'c') STORED);
