CREATE DOMAIN public.d AS text;
