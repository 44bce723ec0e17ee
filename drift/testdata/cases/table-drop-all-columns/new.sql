CREATE TABLE public.t ();
