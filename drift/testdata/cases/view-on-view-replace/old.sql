CREATE TABLE public.t (id int PRIMARY KEY, v text, n int);
CREATE VIEW public.v1 AS SELECT id, n FROM public.t;
CREATE VIEW public.v2 AS SELECT id FROM public.v1;
