CREATE TABLE public.base (id int, status text DEFAULT 'new');
CREATE TABLE public.child (extra int) INHERITS (public.base);
ALTER TABLE public.child ALTER COLUMN status SET DEFAULT 'child-new';
CREATE TABLE public.other_child (more int) INHERITS (public.base);
