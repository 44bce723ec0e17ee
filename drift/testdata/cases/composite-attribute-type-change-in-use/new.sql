CREATE TYPE public.pair AS (a int, b bigint);
CREATE TABLE public.t (id int PRIMARY KEY, p public.pair);
