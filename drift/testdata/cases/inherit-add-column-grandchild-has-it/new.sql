CREATE TABLE public.base (id int, note text);
CREATE TABLE public.mid (m int) INHERITS (public.base);
CREATE TABLE public.leaf (note text) INHERITS (public.mid);
