CREATE TABLE public.parent_a (id bigserial NOT NULL);
CREATE TABLE public.child (body text) INHERITS (public.parent_a);
INSERT INTO public.child (body) VALUES ('b');
