CREATE TABLE public.base (id int, name text NOT NULL DEFAULT 'n');
CREATE TABLE public.child (extra int) INHERITS (public.base);
