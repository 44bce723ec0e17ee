CREATE TABLE public.t (id int PRIMARY KEY, a int);
CREATE INDEX t_ab ON public.t (a);
