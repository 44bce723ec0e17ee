CREATE TABLE public.t (id int PRIMARY KEY, v text, n int);
CREATE VIEW public.z1 AS SELECT id, n FROM public.t;
CREATE VIEW public.a2 AS SELECT id FROM public.z1 WHERE n > 0;
