CREATE TABLE public.anchor (id integer);
CREATE DOMAIN public.label AS text;
CREATE DOMAIN public.short_label AS public.label CHECK (length(VALUE) <= 16);
CREATE DOMAIN public.tiny_label AS public.short_label CHECK (length(VALUE) <= 4);
