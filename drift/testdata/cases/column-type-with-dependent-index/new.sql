CREATE TABLE public.t (id bigint PRIMARY KEY, ref bigint NOT NULL, label varchar(40));
CREATE INDEX t_ref ON public.t (ref);
CREATE UNIQUE INDEX t_ref_label ON public.t (ref, label) WHERE label IS NOT NULL;
CREATE INDEX t_label_lower ON public.t (lower(label));
