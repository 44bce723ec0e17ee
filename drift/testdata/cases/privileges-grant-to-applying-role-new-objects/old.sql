CREATE TABLE public.placeholder (id integer);
