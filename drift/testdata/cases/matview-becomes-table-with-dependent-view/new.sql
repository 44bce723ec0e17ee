CREATE TABLE public.t (id int PRIMARY KEY);
CREATE TABLE public.s (id int);
CREATE VIEW public.s2 AS SELECT id FROM public.s;
