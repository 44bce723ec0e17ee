CREATE DOMAIN public.pos AS int;
CREATE TABLE public.t (id int PRIMARY KEY, p public.pos);
ALTER DOMAIN public.pos ADD CONSTRAINT pos_check CHECK (VALUE > 0) NOT VALID;
