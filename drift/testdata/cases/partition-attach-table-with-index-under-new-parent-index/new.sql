CREATE TABLE public.m (id int NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);
CREATE INDEX m_id ON public.m (id);
CREATE TABLE public.m_2024 (id int NOT NULL, at date NOT NULL, CONSTRAINT m_2024_at_check CHECK (at >= '2024-01-01' AND at < '2025-01-01'));
CREATE INDEX m_2024_id_local ON public.m_2024 (id);
CREATE INDEX m_2024_id ON public.m_2024 (id);
ALTER INDEX public.m_2024_id_local RENAME TO m_2024_id_tmp;
ALTER INDEX public.m_2024_id RENAME TO m_2024_id_local;
ALTER INDEX public.m_2024_id_tmp RENAME TO m_2024_id;
ALTER TABLE public.m ATTACH PARTITION public.m_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
