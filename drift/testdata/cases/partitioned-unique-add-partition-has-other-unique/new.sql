CREATE TABLE public.m (id int NOT NULL, at date NOT NULL, code text, CONSTRAINT m_code_at_key UNIQUE (code, at)) PARTITION BY RANGE (at);
CREATE TABLE public.m_2025 PARTITION OF public.m FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE UNIQUE INDEX m_2025_code ON public.m_2025 (code);
