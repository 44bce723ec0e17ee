CREATE TABLE public.t (c date, a int, b text);
