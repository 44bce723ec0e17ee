CREATE DOMAIN public.positive AS int CHECK (VALUE > 0);
CREATE TABLE public.t (id int PRIMARY KEY, n public.positive);
