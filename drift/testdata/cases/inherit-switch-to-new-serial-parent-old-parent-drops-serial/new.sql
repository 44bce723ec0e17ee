-- apgdiff's modify-inherits: the child moves to a new parent with its own
-- serial; the old parent drops its serial column (and sequence), which the
-- child's default no longer calls by then.
CREATE TABLE public.parent_a (label text);
CREATE TABLE public.parent_b (id bigserial NOT NULL);
CREATE TABLE public.child (body text) INHERITS (public.parent_b);
