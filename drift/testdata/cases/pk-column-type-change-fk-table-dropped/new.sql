CREATE TABLE public.a (id bigint PRIMARY KEY);
