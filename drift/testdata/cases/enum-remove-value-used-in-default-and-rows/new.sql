CREATE TYPE public.st AS ENUM ('draft', 'done');
CREATE TABLE public.t (id int PRIMARY KEY, s public.st NOT NULL DEFAULT 'draft');
