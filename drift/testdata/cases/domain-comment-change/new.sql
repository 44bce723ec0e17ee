CREATE DOMAIN public.email AS text CHECK (VALUE LIKE '%@%');
COMMENT ON DOMAIN public.email IS 'an e-mail address';
COMMENT ON CONSTRAINT email_check ON DOMAIN public.email IS 'needs an at sign';
