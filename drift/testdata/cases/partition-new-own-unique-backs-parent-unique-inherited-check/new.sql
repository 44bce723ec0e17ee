CREATE TABLE public.m (id int NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);
CREATE UNIQUE INDEX m_id_at ON public.m (id, at);
CREATE TABLE public.m_2024 PARTITION OF public.m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE public.m_2025 (id int NOT NULL, at date NOT NULL, CONSTRAINT m_2025_uq UNIQUE (id, at));
ALTER TABLE public.m ATTACH PARTITION public.m_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
-- added after the attachment: the partition has the check only through its parent
ALTER TABLE public.m ADD CONSTRAINT m_id_positive CHECK (id > 0);
