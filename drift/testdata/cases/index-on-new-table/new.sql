CREATE TABLE public.a (id int);
CREATE TABLE public.b (id int PRIMARY KEY, v text);
CREATE INDEX b_v ON public.b (v);
