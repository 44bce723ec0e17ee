CREATE TABLE public.t (id int PRIMARY KEY, email text, CONSTRAINT t_email_key UNIQUE (email));
COMMENT ON CONSTRAINT t_email_key ON public.t IS 'one account per address';
