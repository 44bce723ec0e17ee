CREATE TABLE public.m (id int NOT NULL, at date NOT NULL, CONSTRAINT m_id_positive CHECK (id > 0)) PARTITION BY RANGE (at);
CREATE INDEX m_at ON public.m (at);
CREATE UNIQUE INDEX m_id_at ON public.m (id, at);
CREATE TABLE public.m_2024 PARTITION OF public.m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
-- its own indexes, under their own names, are adopted by the parent's
CREATE TABLE public.m_2025 (id int NOT NULL, at date NOT NULL, CONSTRAINT m_id_positive CHECK (id > 0));
CREATE INDEX m_2025_own_at ON public.m_2025 (at);
CREATE UNIQUE INDEX m_2025_own_id_at ON public.m_2025 (id, at);
ALTER TABLE public.m ATTACH PARTITION public.m_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
