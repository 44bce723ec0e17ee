CREATE TABLE public.t (id int PRIMARY KEY, v text, n int);
CREATE VIEW public.t_v AS SELECT v, id FROM public.t;
COMMENT ON VIEW public.t_v IS 'c';
COMMENT ON COLUMN public.t_v.v IS 'cv';
