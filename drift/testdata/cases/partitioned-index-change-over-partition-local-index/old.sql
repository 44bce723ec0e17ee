CREATE TABLE public.m (id int NOT NULL, at date NOT NULL, name text) PARTITION BY RANGE (at);
CREATE INDEX m_x ON public.m (name);
CREATE TABLE public.m_2024 PARTITION OF public.m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE INDEX m_2024_local ON public.m_2024 (lower(name));
