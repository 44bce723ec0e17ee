CREATE TYPE public.pair AS (a int, b int);
CREATE FUNCTION public.pair_sum(p public.pair) RETURNS bigint LANGUAGE sql AS $$ SELECT (p).a::bigint + (p).b $$;
