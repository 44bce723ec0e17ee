CREATE TYPE public.st AS ENUM ('draft', 'pending', 'done');
CREATE TABLE public.t (id int PRIMARY KEY, s public.st NOT NULL DEFAULT 'pending');
