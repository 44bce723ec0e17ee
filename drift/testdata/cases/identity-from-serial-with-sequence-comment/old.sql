CREATE TABLE public.t (id serial PRIMARY KEY, v text);
