CREATE TYPE public.st AS ENUM ('new', 'held', 'done');
CREATE TABLE public.t (id int PRIMARY KEY, s public.st, legacy public.st);
