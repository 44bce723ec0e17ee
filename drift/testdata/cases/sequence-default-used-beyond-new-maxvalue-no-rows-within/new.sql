CREATE SEQUENCE public.s MAXVALUE 500;
CREATE TABLE public.t (id bigint DEFAULT nextval('public.s') NOT NULL, v text);
