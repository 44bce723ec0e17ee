CREATE TABLE public.t (id int PRIMARY KEY, a int, b int);
CREATE STATISTICS public.t_ab (mcv) ON a, b FROM public.t;
