CREATE TABLE public.t (id int PRIMARY KEY, v text);
CREATE INDEX t_v_idx ON public.t (v);
