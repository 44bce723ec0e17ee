CREATE TABLE public.a (id int PRIMARY KEY);
CREATE TABLE public.a2 (id int PRIMARY KEY);
CREATE TABLE public.b (id int PRIMARY KEY, ref int CONSTRAINT b_ref_fk REFERENCES public.a (id));
