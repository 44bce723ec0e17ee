CREATE TABLE public.parent_a (id bigint NOT NULL);
CREATE TABLE public.parent_b (label text);
CREATE TABLE public.child (label text, body text) INHERITS (public.parent_a);
INSERT INTO public.child (id, label, body) VALUES (1, 'l', 'b');
