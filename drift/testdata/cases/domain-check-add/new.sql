CREATE DOMAIN public.pct AS int CONSTRAINT pct_range CHECK (VALUE BETWEEN 0 AND 100);
CREATE TABLE public.t (id int PRIMARY KEY, p public.pct);
