CREATE TABLE public.t (id int PRIMARY KEY, v text, n int);
CREATE VIEW public.t_v WITH (security_invoker = true) AS SELECT id, v FROM public.t;
