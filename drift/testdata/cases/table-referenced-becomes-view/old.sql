CREATE TABLE public.base (id int PRIMARY KEY);
CREATE TABLE public.t (id int PRIMARY KEY);
CREATE TABLE public.u (t_id int REFERENCES public.t (id));
CREATE INDEX t_idx ON public.t (id);
