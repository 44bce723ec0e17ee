CREATE TABLE public.m (id int NOT NULL, at date NOT NULL, CONSTRAINT m_id_positive CHECK (id > 0)) PARTITION BY RANGE (at);
CREATE TABLE public.m_2024 PARTITION OF public.m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE public.m_2025 (id int NOT NULL, at date NOT NULL, CONSTRAINT m_id_positive CHECK (id > 0), CONSTRAINT m_2025_pkey PRIMARY KEY (id, at));
ALTER TABLE public.m ATTACH PARTITION public.m_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
-- the parent's unique index comes last and adopts the new partition's key
CREATE UNIQUE INDEX m_id_at ON public.m (id, at);
