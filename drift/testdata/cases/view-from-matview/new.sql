CREATE TABLE public.t (id int PRIMARY KEY, v text, n int);
CREATE VIEW public.s AS SELECT id FROM public.t;
