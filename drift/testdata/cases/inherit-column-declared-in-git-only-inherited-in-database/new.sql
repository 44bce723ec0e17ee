CREATE TABLE public.base (id int, name text DEFAULT 'n');
CREATE TABLE public.child (extra int, name text NOT NULL DEFAULT 'n') INHERITS (public.base);
