CREATE TABLE public.base (id int);
CREATE TABLE public.a (x int, e integer) INHERITS (public.base);
CREATE TABLE public.b (y int) INHERITS (public.base);
CREATE TABLE public.a_sub (z int) INHERITS (public.a);
