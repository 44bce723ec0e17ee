CREATE TYPE public.st AS ENUM ('a', 'new', 'b');
CREATE TABLE public.t (id int PRIMARY KEY, s public.st DEFAULT 'new');
