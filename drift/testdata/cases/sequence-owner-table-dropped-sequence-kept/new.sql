CREATE SEQUENCE public.t_id_seq;
CREATE TABLE public.other (id int, t_id bigint DEFAULT nextval('public.t_id_seq'));
