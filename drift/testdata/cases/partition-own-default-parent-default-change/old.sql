CREATE TABLE public.m (id int, at date NOT NULL, status text DEFAULT 'new') PARTITION BY RANGE (at);
CREATE TABLE public.m_2025 PARTITION OF public.m (status DEFAULT 'archived') FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE public.m_2026 PARTITION OF public.m FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
