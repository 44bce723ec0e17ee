CREATE SEQUENCE public.a;
CREATE TABLE public.t (id bigint DEFAULT nextval('public.a') PRIMARY KEY, v text);
