CREATE TABLE public.base (id int, qty int DEFAULT 1, CONSTRAINT qty_positive CHECK (qty > 0));
CREATE TABLE public.child (extra int, CONSTRAINT qty_positive CHECK (qty > 0)) INHERITS (public.base);
