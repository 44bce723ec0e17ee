CREATE TABLE public.base (id int, qty int DEFAULT 1, CONSTRAINT qty_positive CHECK (qty > 0));
CREATE TABLE public.child (id int, qty int DEFAULT 1, extra int, CONSTRAINT qty_positive CHECK (qty > 0));
