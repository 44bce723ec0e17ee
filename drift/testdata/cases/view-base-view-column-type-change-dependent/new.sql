CREATE TABLE public.t (id int PRIMARY KEY, g int);
CREATE VIEW public.v1 AS SELECT g, count(*) AS n FROM public.t GROUP BY g;
CREATE VIEW public.v2 AS SELECT g, n FROM public.v1 WHERE n > 1;
