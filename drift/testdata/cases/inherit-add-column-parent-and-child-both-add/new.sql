CREATE TABLE public.base (id int);
-- the child declares the column itself, with its own default; the parent adds it after
CREATE TABLE public.child (extra int, note text DEFAULT 'c') INHERITS (public.base);
ALTER TABLE public.base ADD COLUMN note text DEFAULT 'p';
