CREATE TABLE public.base (id int, e integer);
CREATE TABLE public.a (x int) INHERITS (public.base);
CREATE TABLE public.b (y int) INHERITS (public.base);
CREATE TABLE public.a_sub (z int) INHERITS (public.a);
INSERT INTO public.a (id, e, x) VALUES (1, 10, 1);
INSERT INTO public.b (id, e, y) VALUES (2, 20, 2);
INSERT INTO public.a_sub (id, e, x, z) VALUES (3, 30, 3, 3);
