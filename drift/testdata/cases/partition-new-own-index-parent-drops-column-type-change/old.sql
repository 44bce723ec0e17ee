CREATE TABLE public.m (id int NOT NULL, at date NOT NULL, legacy text, v int) PARTITION BY RANGE (at);
CREATE INDEX m_at ON public.m (at);
CREATE TABLE public.m_2024 PARTITION OF public.m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
