CREATE TABLE public.t (id int PRIMARY KEY, email text);
CREATE INDEX t_email_lower ON public.t (lower(email));
