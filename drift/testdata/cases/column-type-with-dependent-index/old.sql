CREATE TABLE public.t (id int PRIMARY KEY, ref int NOT NULL, label varchar(10));
CREATE INDEX t_ref ON public.t (ref);
CREATE UNIQUE INDEX t_ref_label ON public.t (ref, label) WHERE label IS NOT NULL;
CREATE INDEX t_label_lower ON public.t (lower(label));
