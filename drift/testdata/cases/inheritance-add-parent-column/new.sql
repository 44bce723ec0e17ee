CREATE TABLE public.base (id int, at date, note text);
CREATE TABLE public.child (extra text) INHERITS (public.base);
