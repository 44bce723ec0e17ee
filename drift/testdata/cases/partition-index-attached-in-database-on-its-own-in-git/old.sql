CREATE TABLE public.readings (id int, site text NOT NULL) PARTITION BY LIST (site);
CREATE TABLE public.readings_a PARTITION OF public.readings FOR VALUES IN ('a');
CREATE TABLE public.readings_b PARTITION OF public.readings FOR VALUES IN ('b');
CREATE INDEX readings_id ON public.readings (id);
