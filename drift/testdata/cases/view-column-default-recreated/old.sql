CREATE TABLE public.t (id int, a int);
CREATE VIEW public.v AS SELECT id, a FROM public.t;
