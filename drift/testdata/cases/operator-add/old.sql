CREATE FUNCTION public.text_prefix(a text, b text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT starts_with(a, b) $$;
CREATE TABLE public.tags (name text);
