CREATE TABLE public.base (id int, name text DEFAULT $$n$$);
CREATE TABLE public.child (extra int) INHERITS (public.base);
CREATE TABLE public.grandchild (more int) INHERITS (public.child);
