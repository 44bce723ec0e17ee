CREATE TABLE public.base (id int, code text);
CREATE TABLE public.child (extra int) INHERITS (public.base);
