CREATE TABLE public.base (id int NOT NULL DEFAULT 0, qty int DEFAULT 1, CONSTRAINT qty_positive CHECK (qty > 0));
CREATE TABLE public.kid (note text, CONSTRAINT qty_positive CHECK (qty > 0)) INHERITS (public.base);
CREATE TABLE public.other (extra int) INHERITS (public.base);
CREATE TABLE public.newcomer (id int NOT NULL DEFAULT 0, qty int DEFAULT 1, more text) INHERITS (public.base);
CREATE TABLE public.newcomer_part (tag text) INHERITS (public.newcomer);
