CREATE TABLE public.base (id int, at date);
CREATE TABLE public.child (extra text) INHERITS (public.base);
