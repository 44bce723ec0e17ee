CREATE TABLE public.base (id int PRIMARY KEY);
CREATE VIEW public.t AS SELECT id FROM public.base;
CREATE TABLE public.u (t_id int);
