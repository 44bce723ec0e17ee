CREATE TABLE public.t (id int PRIMARY KEY, n int, m int);
CREATE VIEW public.t_v AS SELECT id, n FROM public.t;
