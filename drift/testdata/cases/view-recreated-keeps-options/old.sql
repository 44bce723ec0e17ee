CREATE TABLE public.t (id int PRIMARY KEY, n int);
CREATE VIEW public.v WITH (security_barrier) AS SELECT id, n FROM public.t WHERE n > 0 WITH CASCADED CHECK OPTION;
COMMENT ON VIEW public.v IS 'positive';
