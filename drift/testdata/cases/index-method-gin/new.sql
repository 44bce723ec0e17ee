CREATE TABLE public.t (id int PRIMARY KEY, tags text[], doc jsonb);
CREATE INDEX t_tags ON public.t USING gin (tags);
CREATE INDEX t_doc ON public.t USING gin (doc jsonb_path_ops);
