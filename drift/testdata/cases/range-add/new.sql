CREATE TYPE public.floatrange AS RANGE (SUBTYPE = float8, SUBTYPE_DIFF = float8mi);
COMMENT ON TYPE public.floatrange IS 'ranges of doubles';
CREATE TABLE public.t (id int PRIMARY KEY, r public.floatrange);
