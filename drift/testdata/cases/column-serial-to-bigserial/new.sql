CREATE TABLE public.t (id bigserial PRIMARY KEY, v text);
