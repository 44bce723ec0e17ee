CREATE TABLE public.m (id int, at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE public.m_2025 PARTITION OF public.m FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE public.m_2024 (id int, at date NOT NULL, CONSTRAINT m_2024_in_range CHECK (at >= '2024-01-01' AND at < '2025-01-01'));
