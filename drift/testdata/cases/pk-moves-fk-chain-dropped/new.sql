CREATE TABLE public.a (uid text PRIMARY KEY);
