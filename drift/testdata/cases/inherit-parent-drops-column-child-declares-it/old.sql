CREATE TABLE public.base (created_at timestamp DEFAULT now(), e integer);
CREATE TABLE public.a (a1 integer, a2 integer) INHERITS (public.base);
INSERT INTO public.a (a1, e) VALUES (1, 10), (2, 20);
