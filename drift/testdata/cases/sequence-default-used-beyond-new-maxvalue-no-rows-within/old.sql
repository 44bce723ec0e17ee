CREATE SEQUENCE public.s;
CREATE TABLE public.t (id bigint DEFAULT nextval('public.s') NOT NULL, v text);
