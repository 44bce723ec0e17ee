CREATE DOMAIN public.qty AS int CONSTRAINT qty_positive CHECK (VALUE > 0);
CREATE TABLE public.t (id int PRIMARY KEY, q public.qty);
