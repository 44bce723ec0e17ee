CREATE TABLE public.t (id int PRIMARY KEY, a text, b text);
CREATE VIEW public.v1 AS SELECT id, a FROM public.t;
CREATE VIEW public.v2 AS SELECT id, a FROM public.v1;
