CREATE EXTENSION btree_gist;
CREATE TABLE public.b (room int, during tstzrange, CONSTRAINT b_excl EXCLUDE USING gist (room WITH =, during WITH &&));
