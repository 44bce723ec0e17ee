CREATE TABLE public.t (id bigserial, v text);
CREATE TABLE public.other (id int);
