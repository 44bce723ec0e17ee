CREATE COLLATION public.german (provider = icu, locale = 'de-DE');
COMMENT ON COLLATION public.german IS 'phone book order';
