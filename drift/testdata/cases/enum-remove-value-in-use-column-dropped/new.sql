CREATE TYPE public.st AS ENUM ('new', 'done');
CREATE TABLE public.t (id int PRIMARY KEY, s public.st);
