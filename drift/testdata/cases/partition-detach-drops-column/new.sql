CREATE TABLE public.m (id int, at date NOT NULL, payload text) PARTITION BY RANGE (at);
CREATE TABLE public.m_2025 PARTITION OF public.m FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE INDEX m_payload ON public.m (payload);
-- archived without its payload
CREATE TABLE public.m_2024 (id int, at date NOT NULL);
