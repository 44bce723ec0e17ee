CREATE TABLE public.m (id int, at date NOT NULL, code text) PARTITION BY RANGE (at);
CREATE TABLE public.m_2025 PARTITION OF public.m FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
-- only the current partition is searched by code
CREATE INDEX m_code ON public.m_2025 (code);
