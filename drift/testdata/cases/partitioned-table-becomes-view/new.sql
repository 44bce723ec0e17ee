CREATE TABLE public.base (id int PRIMARY KEY);
CREATE VIEW public.m AS SELECT id, current_date AS at FROM public.base;
