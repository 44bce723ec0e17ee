CREATE TABLE public.m (id int NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE public.m_2024 (id int NOT NULL, at date NOT NULL, CONSTRAINT m_2024_at_check CHECK (at >= '2024-01-01' AND at < '2025-01-01'));
CREATE INDEX m_2024_id ON public.m_2024 (id);
CREATE INDEX m_2024_id_local ON public.m_2024 (id);
