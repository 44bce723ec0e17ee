CREATE TABLE public.m (id int NOT NULL, at date NOT NULL, v bigint) PARTITION BY RANGE (at);
CREATE INDEX m_at ON public.m (at);
CREATE TABLE public.m_2024 PARTITION OF public.m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE public.m_2025 (id int NOT NULL, at date NOT NULL, v bigint);
CREATE INDEX m_2025_by_day ON public.m_2025 (at);
ALTER TABLE public.m ATTACH PARTITION public.m_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
