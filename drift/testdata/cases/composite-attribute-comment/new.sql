CREATE TYPE public.pair AS (a int, b int);
COMMENT ON COLUMN public.pair.b IS 'right';
COMMENT ON TYPE public.pair IS 'two numbers';
