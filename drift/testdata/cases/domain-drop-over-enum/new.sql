CREATE TABLE public.anchor (id integer);
