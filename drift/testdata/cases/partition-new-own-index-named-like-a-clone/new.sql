CREATE TABLE public.m (id int NOT NULL, at date NOT NULL, created_at timestamptz) PARTITION BY RANGE (at);
CREATE INDEX m_at ON public.m (at);
CREATE INDEX m_created_at ON public.m (created_at);
CREATE TABLE public.m_2024 PARTITION OF public.m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
-- one index named as PostgreSQL names a clone (m_2025_created_at_idx), one named
-- like a clone but not as PostgreSQL would name this one (m_2025_day_idx)
CREATE TABLE public.m_2025 (id int NOT NULL, at date NOT NULL, created_at timestamptz);
CREATE INDEX m_2025_day_idx ON public.m_2025 (at);
CREATE INDEX m_2025_created_at_idx ON public.m_2025 (created_at);
ALTER TABLE public.m ATTACH PARTITION public.m_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
