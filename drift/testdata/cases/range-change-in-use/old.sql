CREATE TYPE public.r AS RANGE (SUBTYPE = int4);
CREATE TABLE public.t (id int PRIMARY KEY, v public.r);
