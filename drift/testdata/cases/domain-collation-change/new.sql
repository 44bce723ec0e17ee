CREATE DOMAIN public.d AS text COLLATE "C";
