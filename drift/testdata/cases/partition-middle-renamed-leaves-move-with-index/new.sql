CREATE TABLE public.t (id int NOT NULL, kind text NOT NULL, at date NOT NULL) PARTITION BY LIST (kind);
CREATE INDEX t_id ON public.t (id);
CREATE UNIQUE INDEX t_uq ON public.t (id, kind, at);
CREATE TABLE public.t_a PARTITION OF public.t FOR VALUES IN ('a') PARTITION BY RANGE (at);
CREATE TABLE public.leaf_2025 PARTITION OF public.t_a FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
