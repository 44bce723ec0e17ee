CREATE TABLE public.base (id int, status text DEFAULT 'open');
CREATE TABLE public.child (extra int) INHERITS (public.base);
ALTER TABLE public.child ALTER COLUMN status SET DEFAULT 'child-open';
CREATE TABLE public.other_child (more int) INHERITS (public.base);
