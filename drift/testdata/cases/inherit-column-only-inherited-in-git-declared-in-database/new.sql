CREATE TABLE public.base (id int, note text);
CREATE TABLE public.child (extra int) INHERITS (public.base);
