CREATE TABLE public.t (id bigint, v text NOT NULL);
