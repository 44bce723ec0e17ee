CREATE TABLE public.parent_a (id bigint NOT NULL, note text);
CREATE TABLE public.child (body text) INHERITS (public.parent_a);
INSERT INTO public.child (id, note, body) VALUES (1, 'n', 'b');
