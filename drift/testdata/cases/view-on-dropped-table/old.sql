CREATE TABLE public.t (id int PRIMARY KEY, v text, n int);
CREATE TABLE public.u (id int);
CREATE VIEW public.u_v AS SELECT id FROM public.u;
