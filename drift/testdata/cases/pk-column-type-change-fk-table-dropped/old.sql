CREATE TABLE public.a (id int PRIMARY KEY);
CREATE TABLE public.b (a_id int REFERENCES public.a (id));
