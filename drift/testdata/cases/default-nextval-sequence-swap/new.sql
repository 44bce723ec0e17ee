CREATE SEQUENCE public.b START WITH 1000;
CREATE TABLE public.t (id bigint DEFAULT nextval('public.b') PRIMARY KEY, v text);
