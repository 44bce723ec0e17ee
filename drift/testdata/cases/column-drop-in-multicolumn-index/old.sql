CREATE TABLE public.t (id int PRIMARY KEY, a int, b int);
CREATE INDEX t_ab ON public.t (a, b);
