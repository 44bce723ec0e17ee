CREATE TABLE public.m (id int NOT NULL, at date NOT NULL, note text) PARTITION BY RANGE (at);
CREATE TABLE public.m_2024 (id int NOT NULL, at date NOT NULL, note text);
ALTER TABLE public.m ATTACH PARTITION public.m_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
