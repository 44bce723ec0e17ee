CREATE DOMAIN public.pos AS int CONSTRAINT pos_check CHECK (VALUE > 0);
CREATE TABLE public.t (id int PRIMARY KEY, p public.pos);
