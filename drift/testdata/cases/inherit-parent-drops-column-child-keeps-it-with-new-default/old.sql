CREATE TABLE public.base (id int, e integer DEFAULT 1);
CREATE TABLE public.a (x int) INHERITS (public.base);
INSERT INTO public.a (id, e, x) VALUES (1, 10, 1);
