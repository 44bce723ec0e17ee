CREATE FUNCTION public.text_prefix(a text, b text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT starts_with(a, b) $$;
CREATE FUNCTION public.text_prefix_of(a text, b text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT starts_with(b, a) $$;
CREATE OPERATOR public.~<< (FUNCTION = public.text_prefix, LEFTARG = text, RIGHTARG = text, COMMUTATOR = OPERATOR(public.>>~));
CREATE OPERATOR public.>>~ (FUNCTION = public.text_prefix_of, LEFTARG = text, RIGHTARG = text, COMMUTATOR = OPERATOR(public.~<<));
CREATE OPERATOR public.! (FUNCTION = pg_catalog.numeric_uminus, RIGHTARG = numeric);
-- a table whose check uses the new operator
CREATE TABLE public.tags (name text CHECK (name OPERATOR(public.~<<) 'tag:'));
