CREATE TABLE public.m (id int NOT NULL, at date NOT NULL, CONSTRAINT m_id_at_key UNIQUE (id, at)) PARTITION BY RANGE (at);
CREATE TABLE public.m_2025 PARTITION OF public.m FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE public.ref (rid int PRIMARY KEY, m_id int, m_at date, FOREIGN KEY (m_id, m_at) REFERENCES public.m (id, at));
