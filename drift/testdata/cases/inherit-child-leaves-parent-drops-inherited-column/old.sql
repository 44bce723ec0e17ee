CREATE TABLE public.base (id int, legacy text, CONSTRAINT legacy_short CHECK (length(legacy) < 10));
CREATE TABLE public.child (extra int) INHERITS (public.base);
