CREATE TABLE public.b (id int PRIMARY KEY, a_id int);
CREATE TABLE public.c (id int PRIMARY KEY, b_id int REFERENCES public.b (id));
CREATE INDEX c_b ON public.c (b_id);
