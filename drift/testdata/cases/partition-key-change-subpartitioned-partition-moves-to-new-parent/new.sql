CREATE TABLE public.m (id int NOT NULL, at date NOT NULL, kind text NOT NULL) PARTITION BY LIST (kind);
CREATE INDEX m_id ON public.m (id);
CREATE TABLE public.by_year (id int NOT NULL, at date NOT NULL, kind text NOT NULL) PARTITION BY RANGE (at);
CREATE INDEX by_year_id ON public.by_year (id);
CREATE TABLE public.m_2025 PARTITION OF public.by_year FOR VALUES FROM ('2025-01-01') TO ('2026-01-01') PARTITION BY LIST (kind);
CREATE TABLE public.m_2025_a PARTITION OF public.m_2025 FOR VALUES IN ('a');
