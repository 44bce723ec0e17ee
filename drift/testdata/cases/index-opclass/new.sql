CREATE TABLE public.t (id int PRIMARY KEY, path text, code varchar(20));
CREATE INDEX t_path ON public.t (path text_pattern_ops);
CREATE INDEX t_code ON public.t (code varchar_pattern_ops);
