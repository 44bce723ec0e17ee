CREATE TABLE public.t (id int PRIMARY KEY, email text);
CREATE INDEX t_email ON public.t (email);
COMMENT ON INDEX public.t_email IS 'lookups by email';
