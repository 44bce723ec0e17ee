CREATE TYPE public.pair AS (a int, b int);
COMMENT ON COLUMN public.pair.a IS 'left';
