CREATE TABLE public.m (id int NOT NULL, at date NOT NULL, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE TABLE public.m_2025 PARTITION OF public.m FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
-- archived, with the key it had
CREATE TABLE public.m_2024 (id int NOT NULL, at date NOT NULL, CONSTRAINT m_2024_pkey PRIMARY KEY (id, at));
