CREATE TABLE public.t (id int PRIMARY KEY, name text);
CREATE INDEX t_name ON public.t (name);
