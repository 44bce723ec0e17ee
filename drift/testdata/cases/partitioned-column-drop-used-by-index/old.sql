CREATE TABLE public.m (id int NOT NULL, at date NOT NULL, legacy text) PARTITION BY RANGE (at);
CREATE TABLE public.m_2025 PARTITION OF public.m FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE INDEX m_legacy ON public.m (legacy, id);
CREATE UNIQUE INDEX m_uq ON public.m (id, at, legacy);
