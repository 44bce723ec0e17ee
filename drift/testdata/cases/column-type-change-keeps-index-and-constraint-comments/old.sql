CREATE TABLE public.t (id int PRIMARY KEY, code int CONSTRAINT code_pos CHECK (code > 0));
CREATE INDEX t_code ON public.t (code);
COMMENT ON INDEX public.t_code IS 'lookup by code';
COMMENT ON CONSTRAINT code_pos ON public.t IS 'codes are positive';
