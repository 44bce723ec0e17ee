CREATE TABLE public.t (id int PRIMARY KEY, score int, name text);
CREATE INDEX t_score ON public.t (score, name);
