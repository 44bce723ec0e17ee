CREATE TYPE public.address AS (street text, city text COLLATE "C", zip varchar(10));
COMMENT ON TYPE public.address IS 'a postal address';
COMMENT ON COLUMN public.address.zip IS 'postal code';
CREATE TABLE public.t (id int PRIMARY KEY, home public.address);
