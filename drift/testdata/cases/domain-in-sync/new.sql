CREATE DOMAIN public.d AS text COLLATE "C" DEFAULT 'x' NOT NULL CONSTRAINT d_len CHECK (length(VALUE) < 10) CONSTRAINT d_nonempty CHECK (VALUE <> '');
CREATE TABLE public.t (id int PRIMARY KEY, v public.d);
