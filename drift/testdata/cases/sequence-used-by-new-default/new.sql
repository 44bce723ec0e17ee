CREATE SEQUENCE public.ids START 100;
CREATE TABLE public.t (id bigint NOT NULL DEFAULT nextval('public.ids'), v text);
