CREATE TABLE public.base (id int);
CREATE TABLE public.a (x int, e integer DEFAULT 7 NOT NULL) INHERITS (public.base);
