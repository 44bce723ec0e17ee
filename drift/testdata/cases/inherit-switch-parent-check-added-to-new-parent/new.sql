CREATE TABLE public.p1 (qty int, CONSTRAINT qty_positive CHECK (qty > 0));
CREATE TABLE public.p2 (qty int, CONSTRAINT qty_positive CHECK (qty > 0));
CREATE TABLE public.c (extra int) INHERITS (public.p2);
