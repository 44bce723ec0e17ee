CREATE TABLE public.m (id int NOT NULL, at date NOT NULL, kind text NOT NULL) PARTITION BY RANGE (at);
CREATE INDEX m_id ON public.m (id);
CREATE TABLE public.m_2025 PARTITION OF public.m FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
