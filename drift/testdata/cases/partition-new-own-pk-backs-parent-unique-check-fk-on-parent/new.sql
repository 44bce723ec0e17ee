CREATE TABLE public.acct (id int PRIMARY KEY);
CREATE TABLE public.m (id int NOT NULL, acct int NOT NULL REFERENCES public.acct (id), at date NOT NULL, CONSTRAINT m_id_positive CHECK (id > 0)) PARTITION BY RANGE (at);
CREATE UNIQUE INDEX m_id_at ON public.m (id, at);
CREATE TABLE public.m_2024 PARTITION OF public.m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE public.m_ref (id int, at date, FOREIGN KEY (id, at) REFERENCES public.m (id, at));
CREATE TABLE public.m_2025 (id int NOT NULL, acct int NOT NULL, at date NOT NULL, CONSTRAINT m_id_positive CHECK (id > 0), CONSTRAINT m_2025_pkey PRIMARY KEY (id, at));
ALTER TABLE public.m ATTACH PARTITION public.m_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
