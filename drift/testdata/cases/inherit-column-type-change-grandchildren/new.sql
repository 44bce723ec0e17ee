CREATE TABLE public.base (id int, amount bigint);
CREATE TABLE public.child (extra int) INHERITS (public.base);
CREATE TABLE public.grandchild (more int) INHERITS (public.child);
CREATE INDEX grandchild_amount ON public.grandchild (amount);
