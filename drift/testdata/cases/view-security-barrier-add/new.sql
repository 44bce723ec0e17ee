CREATE TABLE public.t (id int PRIMARY KEY, v text, n int);
CREATE VIEW public.t_v WITH (security_barrier) AS SELECT id FROM public.t;
