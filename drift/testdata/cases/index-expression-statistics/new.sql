CREATE TABLE public.t (id int PRIMARY KEY, email text);
CREATE INDEX t_email_lower ON public.t (lower(email));
ALTER INDEX public.t_email_lower ALTER COLUMN 1 SET STATISTICS 500;
