CREATE SEQUENCE public.s MINVALUE 10 START WITH 10;
CREATE TABLE public.t (id bigint DEFAULT nextval('public.s') PRIMARY KEY, v text);
