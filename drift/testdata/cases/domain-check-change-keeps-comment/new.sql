CREATE DOMAIN public.pct AS int CONSTRAINT pct_range CHECK (VALUE >= 0 AND VALUE <= 1000);
COMMENT ON CONSTRAINT pct_range ON DOMAIN public.pct IS 'a percentage';
