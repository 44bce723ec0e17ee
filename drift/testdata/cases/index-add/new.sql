CREATE TABLE public.t (id int PRIMARY KEY, email text);
CREATE INDEX t_email ON public.t (email);
