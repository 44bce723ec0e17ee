-- parent_b gains id first; child then inherits it (merging its id, inherited
-- only) and leaves parent_a, which goes. label stays declared by the child.
CREATE TABLE public.parent_b (label text, id bigint);
CREATE TABLE public.child (label text, body text) INHERITS (public.parent_b);
