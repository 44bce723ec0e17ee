CREATE TABLE public.t (id bigint PRIMARY KEY, v text);
