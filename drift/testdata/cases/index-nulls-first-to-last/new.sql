CREATE TABLE public.t (id int PRIMARY KEY, score int);
CREATE INDEX t_score ON public.t (score DESC NULLS LAST);
