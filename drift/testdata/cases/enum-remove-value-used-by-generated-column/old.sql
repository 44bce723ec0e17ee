CREATE TYPE public.st AS ENUM ('a', 'b', 'c');
CREATE TABLE public.t (id int PRIMARY KEY, s public.st, done boolean GENERATED ALWAYS AS (s = 'c') STORED);
