CREATE TABLE public.t (id int PRIMARY KEY, email text);
CREATE UNIQUE INDEX t_email_key ON public.t (email);
