CREATE TABLE public.t (id bigserial, v text);
