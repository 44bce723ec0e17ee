CREATE TYPE public.st AS ENUM ('a', 'c');
CREATE TABLE public.t (id int PRIMARY KEY, s public.st);
CREATE INDEX t_c ON public.t (id) WHERE s = 'c';
CREATE INDEX t_s ON public.t (s);
