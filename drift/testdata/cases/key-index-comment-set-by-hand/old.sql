CREATE TABLE public.t (id int PRIMARY KEY, email text CONSTRAINT t_email_key UNIQUE);
COMMENT ON INDEX public.t_pkey IS 'set by hand';
