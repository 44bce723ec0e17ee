CREATE TYPE public.r AS RANGE (SUBTYPE = date);
