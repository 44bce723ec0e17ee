CREATE TABLE public.a (id int, qty int NOT NULL DEFAULT 1, CONSTRAINT qty_positive CHECK (qty > 0));
CREATE TABLE public.b (code text, qty int DEFAULT 1, CONSTRAINT qty_positive CHECK (qty > 0));
CREATE TABLE public.c (x int) INHERITS (public.a, public.b);
