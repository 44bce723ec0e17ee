CREATE TABLE public.a (id bigserial, v text);
CREATE TABLE public.b (n bigint DEFAULT nextval('public.a_id_seq'), w text);
INSERT INTO public.b (w) VALUES ('x');
