CREATE TABLE public.z_base (id int);
-- the child declares the column itself, with its own default; the parent adds it after
CREATE TABLE public.a_child (extra int, note text DEFAULT 'c') INHERITS (public.z_base);
ALTER TABLE public.z_base ADD COLUMN note text DEFAULT 'p';
