CREATE TABLE public.a (uid text PRIMARY KEY);
CREATE TABLE public.c (a_uid text REFERENCES public.a (uid));
