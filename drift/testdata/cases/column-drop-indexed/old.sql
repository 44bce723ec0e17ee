CREATE TABLE public.t (id int PRIMARY KEY, legacy text, keep text);
CREATE INDEX t_legacy ON public.t (legacy);
CREATE INDEX t_keep_legacy ON public.t (keep) WHERE legacy IS NOT NULL;
