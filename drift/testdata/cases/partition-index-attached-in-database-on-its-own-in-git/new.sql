-- Git leaves readings_b's index on its own (the partitioned index stays
-- invalid); in the database it is attached, and an index cannot be detached.
CREATE TABLE public.readings (id int, site text NOT NULL) PARTITION BY LIST (site);
CREATE TABLE public.readings_a PARTITION OF public.readings FOR VALUES IN ('a');
CREATE TABLE public.readings_b PARTITION OF public.readings FOR VALUES IN ('b');
CREATE INDEX readings_id ON ONLY public.readings (id);
CREATE INDEX readings_a_id_idx ON public.readings_a (id);
ALTER INDEX readings_id ATTACH PARTITION readings_a_id_idx;
CREATE INDEX readings_b_id_idx ON public.readings_b (id);
