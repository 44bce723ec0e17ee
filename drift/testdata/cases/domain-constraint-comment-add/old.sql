CREATE DOMAIN public.pos AS int CONSTRAINT pos_check CHECK (VALUE > 0);
