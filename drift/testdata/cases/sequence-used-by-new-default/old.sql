CREATE TABLE public.t (id bigint NOT NULL, v text);
