CREATE TABLE public.t (id int PRIMARY KEY, a int, b int);
CREATE STATISTICS public.t_ab (dependencies, ndistinct) ON a, b FROM public.t;
COMMENT ON STATISTICS public.t_ab IS 'correlated';
