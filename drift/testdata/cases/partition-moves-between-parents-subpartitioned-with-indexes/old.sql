CREATE TABLE public.p1 (id int NOT NULL, kind text NOT NULL, at date NOT NULL) PARTITION BY LIST (kind);
CREATE INDEX p1_id ON public.p1 (id);
CREATE UNIQUE INDEX p1_uq ON public.p1 (id, kind, at);
CREATE TABLE public.p2 (id int NOT NULL, kind text NOT NULL, at date NOT NULL) PARTITION BY LIST (kind);
CREATE INDEX p2_id ON public.p2 (id);
CREATE TABLE public.mid PARTITION OF public.p1 FOR VALUES IN ('a') PARTITION BY RANGE (at);
CREATE TABLE public.leaf PARTITION OF public.mid FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
