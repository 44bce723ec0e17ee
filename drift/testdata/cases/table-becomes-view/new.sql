CREATE TABLE public.t (id int PRIMARY KEY);
CREATE VIEW public.s AS SELECT id FROM public.t;
