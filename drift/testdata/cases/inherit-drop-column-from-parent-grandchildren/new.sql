CREATE TABLE public.base (id int);
CREATE TABLE public.mid (m text) INHERITS (public.base);
CREATE TABLE public.leaf (l text) INHERITS (public.mid);
