CREATE TABLE public.m (id int NOT NULL, at date NOT NULL, CONSTRAINT m_id_at_key UNIQUE (id, at), CONSTRAINT m_id_positive CHECK (id > 0)) PARTITION BY RANGE (at);
-- PARTITION OF with a key of its own: the parent's key is cloned beside it
CREATE TABLE public.m_2025 PARTITION OF public.m (CONSTRAINT m_2025_own UNIQUE (id, at)) FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
