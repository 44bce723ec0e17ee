CREATE TABLE public.t (id int PRIMARY KEY, v text);
CREATE INDEX t_v ON public.t (v);
