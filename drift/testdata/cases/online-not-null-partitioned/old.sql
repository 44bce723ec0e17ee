CREATE TABLE public.t (id int, k text) PARTITION BY RANGE (id);
CREATE TABLE public.t_1 PARTITION OF public.t FOR VALUES FROM (0) TO (100);
