CREATE TABLE public.t (id int NOT NULL, code text NOT NULL);
CREATE UNIQUE INDEX t_ri ON public.t (code, id);
ALTER TABLE public.t REPLICA IDENTITY USING INDEX t_ri;
