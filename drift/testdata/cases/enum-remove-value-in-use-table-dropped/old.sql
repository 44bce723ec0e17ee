CREATE TYPE public.st AS ENUM ('new', 'held', 'done');
CREATE TABLE public.t (id int PRIMARY KEY, s public.st);
CREATE TABLE public.old_t (id int PRIMARY KEY, s public.st);
