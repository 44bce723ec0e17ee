CREATE TABLE public.t (id int PRIMARY KEY, a int, b text, c text);
CREATE INDEX t_a ON public.t (a) INCLUDE (b);
