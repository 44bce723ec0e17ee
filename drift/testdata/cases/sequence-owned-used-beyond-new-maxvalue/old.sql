CREATE TABLE public.t (id bigint NOT NULL, v text);
CREATE SEQUENCE public.t_id_seq OWNED BY public.t.id;
ALTER TABLE public.t ALTER COLUMN id SET DEFAULT nextval('public.t_id_seq');
