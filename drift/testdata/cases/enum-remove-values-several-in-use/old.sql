CREATE TYPE public.st AS ENUM ('new', 'held', 'paid', 'sent', 'done');
CREATE TABLE public.t (id int PRIMARY KEY, s public.st NOT NULL);
