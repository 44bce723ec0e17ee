CREATE TABLE public.t (v text);
