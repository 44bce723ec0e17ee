CREATE TABLE public.m (id int NOT NULL, at date NOT NULL, code text NOT NULL, PRIMARY KEY (code, at)) PARTITION BY RANGE (at);
CREATE TABLE public.m_2025 PARTITION OF public.m FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE public.ref (rid int PRIMARY KEY, m_id int, m_at date, m_code text, FOREIGN KEY (m_code, m_at) REFERENCES public.m (code, at));
