CREATE TABLE public.t (a int, b text);
