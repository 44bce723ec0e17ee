CREATE DOMAIN public.email AS text CHECK (VALUE LIKE '%@%');
COMMENT ON DOMAIN public.email IS 'an address';
