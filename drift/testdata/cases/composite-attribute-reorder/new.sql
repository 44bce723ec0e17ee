CREATE TYPE public.pair AS (b int, a int);
