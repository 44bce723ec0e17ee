CREATE TYPE public.r AS RANGE (SUBTYPE = date);
COMMENT ON TYPE public.r IS 'date spans';
