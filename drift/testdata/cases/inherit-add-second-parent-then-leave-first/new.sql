CREATE TABLE public.named (name text, CONSTRAINT name_set CHECK (name <> ''));
CREATE TABLE public.stamped (name text, stamp date, CONSTRAINT name_set CHECK (name <> ''));
CREATE TABLE public.docs (body text) INHERITS (public.stamped);
