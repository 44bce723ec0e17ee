CREATE TABLE public.t (id int PRIMARY KEY, n int);
CREATE VIEW public.m AS SELECT id, n FROM public.t;
