CREATE TABLE public.t (id int PRIMARY KEY, v text, n int);
CREATE VIEW public.t_v AS SELECT id, v FROM public.t;
COMMENT ON COLUMN public.t_v.v IS 'new';
