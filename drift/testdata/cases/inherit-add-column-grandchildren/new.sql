CREATE TABLE public.base (id int, at date, note text DEFAULT 'n' NOT NULL);
CREATE TABLE public.mid (m text) INHERITS (public.base);
CREATE TABLE public.leaf (l text) INHERITS (public.mid);
