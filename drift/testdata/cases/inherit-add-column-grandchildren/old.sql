CREATE TABLE public.base (id int, at date);
CREATE TABLE public.mid (m text) INHERITS (public.base);
CREATE TABLE public.leaf (l text) INHERITS (public.mid);
