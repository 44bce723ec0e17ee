CREATE TYPE public.span AS RANGE (SUBTYPE = timestamptz, MULTIRANGE_TYPE_NAME = public.spans);
CREATE TABLE public.t (id int PRIMARY KEY, busy public.spans, s public.span);
