CREATE TABLE public.base (id int, qty int DEFAULT 1);
CREATE TABLE public.child (extra int) INHERITS (public.base);
