CREATE TABLE public.t (id serial, v text);
