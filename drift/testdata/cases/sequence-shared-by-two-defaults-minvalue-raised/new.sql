CREATE SEQUENCE public.ids MINVALUE 100 START WITH 100;
CREATE TABLE public.a (id bigint DEFAULT nextval('public.ids') PRIMARY KEY);
CREATE TABLE public.b (id bigint DEFAULT nextval('public.ids') PRIMARY KEY);
