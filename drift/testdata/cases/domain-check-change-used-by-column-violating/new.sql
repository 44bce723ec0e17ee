CREATE DOMAIN public.pct AS int CONSTRAINT pct_range CHECK (VALUE >= 0 AND VALUE <= 100);
CREATE TABLE public.t (id int PRIMARY KEY, p public.pct);
