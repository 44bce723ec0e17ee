CREATE TABLE public.t (id int PRIMARY KEY, a int, b int);
CREATE STATISTICS public.t_ab (dependencies) ON a, b FROM public.t;
ALTER STATISTICS public.t_ab SET STATISTICS 500;
