CREATE TABLE public.t (id bigint NOT NULL);
CREATE SEQUENCE public.t_id OWNED BY public.t.id;
