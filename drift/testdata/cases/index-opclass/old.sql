CREATE TABLE public.t (id int PRIMARY KEY, path text, code varchar(20));
CREATE INDEX t_path ON public.t (path);
