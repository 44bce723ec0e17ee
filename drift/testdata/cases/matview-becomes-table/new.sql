CREATE TABLE public.t (id int PRIMARY KEY);
CREATE TABLE public.s (id int);
CREATE INDEX s_id ON public.s (id);
