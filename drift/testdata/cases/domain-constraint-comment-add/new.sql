CREATE DOMAIN public.pos AS int CONSTRAINT pos_check CHECK (VALUE > 0);
COMMENT ON CONSTRAINT pos_check ON DOMAIN public.pos IS 'strictly positive';
