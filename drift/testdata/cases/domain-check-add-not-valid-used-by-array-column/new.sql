CREATE DOMAIN public.qty AS int;
ALTER DOMAIN public.qty ADD CONSTRAINT qty_positive CHECK (VALUE > 0) NOT VALID;
CREATE TABLE public.t (id int PRIMARY KEY, q public.qty, qs public.qty[]);
