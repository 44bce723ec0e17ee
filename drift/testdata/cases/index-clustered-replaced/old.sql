CREATE TABLE public.t (id int PRIMARY KEY, at date);
CREATE INDEX t_at ON public.t (at);
ALTER TABLE public.t CLUSTER ON t_at;
