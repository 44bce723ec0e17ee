CREATE TABLE public.t (id int NOT NULL, v text);
ALTER TABLE public.t ADD CONSTRAINT t_pkey PRIMARY KEY (id);
COMMENT ON INDEX public.t_pkey IS 'the key';
COMMENT ON CONSTRAINT t_pkey ON public.t IS 'the constraint';
