CREATE TABLE public.t (id int, k int, CONSTRAINT t_id_k_key UNIQUE (id, k)) PARTITION BY RANGE (id);
CREATE TABLE public.t_1 PARTITION OF public.t FOR VALUES FROM (0) TO (100);
