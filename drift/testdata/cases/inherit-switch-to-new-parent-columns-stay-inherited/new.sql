-- child moves to the new parent_b; id and note stay only inherited (INHERIT
-- parent_b before NO INHERIT parent_a), while parent_a changes its columns.
CREATE TABLE public.parent_a (label text);
CREATE TABLE public.parent_b (id bigint NOT NULL, note text);
CREATE TABLE public.child (body text) INHERITS (public.parent_b);
