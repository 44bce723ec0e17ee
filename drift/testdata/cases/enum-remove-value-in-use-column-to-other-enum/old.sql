CREATE TYPE public.st AS ENUM ('new', 'held', 'done');
CREATE TABLE public.t (id int PRIMARY KEY, s public.st, hold public.st DEFAULT 'held', past public.st[] DEFAULT '{new}');
