CREATE TYPE public.textrange AS RANGE (SUBTYPE = text, COLLATION = "C");
CREATE TABLE public.t (id int PRIMARY KEY);
