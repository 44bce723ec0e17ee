CREATE TABLE public.base (id int NOT NULL DEFAULT 0, qty int DEFAULT 1, CONSTRAINT qty_positive CHECK (qty > 0));
CREATE TABLE public.child (id int DEFAULT 0, qty int DEFAULT 1, extra int);
