CREATE TABLE public.t (id int, code text NOT NULL);
CREATE UNIQUE INDEX t_code ON public.t (code);
ALTER TABLE public.t REPLICA IDENTITY USING INDEX t_code;
