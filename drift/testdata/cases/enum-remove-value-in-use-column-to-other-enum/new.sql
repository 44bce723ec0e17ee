CREATE TYPE public.st AS ENUM ('new', 'done');
CREATE TYPE public.hold_st AS ENUM ('held', 'released');
CREATE TABLE public.t (id int PRIMARY KEY, s public.st, hold public.hold_st DEFAULT 'held', past text[] DEFAULT '{new}');
