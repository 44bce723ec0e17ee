CREATE TABLE public.m (id int NOT NULL, at date NOT NULL, CONSTRAINT m_id_positive CHECK (id > 0)) PARTITION BY RANGE (at);
CREATE INDEX m_at ON public.m (at);
CREATE UNIQUE INDEX m_id_at ON public.m (id, at);
CREATE TABLE public.m_2024 PARTITION OF public.m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
