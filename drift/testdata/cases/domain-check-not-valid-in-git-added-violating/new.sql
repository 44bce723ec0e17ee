CREATE DOMAIN public.pos AS int;
ALTER DOMAIN public.pos ADD CONSTRAINT pos_check CHECK (VALUE > 0) NOT VALID;
CREATE TABLE public.t (id int PRIMARY KEY, p public.pos);
