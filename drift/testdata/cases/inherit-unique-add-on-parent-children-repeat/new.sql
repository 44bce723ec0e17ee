CREATE TABLE public.base (id int, code text, CONSTRAINT base_code_key UNIQUE (code));
CREATE TABLE public.child (extra int) INHERITS (public.base);
CREATE UNIQUE INDEX base_id ON public.base (id);
