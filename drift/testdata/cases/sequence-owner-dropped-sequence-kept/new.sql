CREATE SEQUENCE public.t_id_seq AS integer;
CREATE TABLE public.t (v text);
