CREATE TABLE public.t (id int PRIMARY KEY, code varchar(20) NOT NULL);
CREATE INDEX t_code ON public.t (code);
