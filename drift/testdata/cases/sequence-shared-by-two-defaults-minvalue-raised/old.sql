CREATE SEQUENCE public.ids;
CREATE TABLE public.a (id bigint DEFAULT nextval('public.ids') PRIMARY KEY);
CREATE TABLE public.b (id bigint DEFAULT nextval('public.ids') PRIMARY KEY);
