CREATE TABLE public.m (id int, at date NOT NULL, legacy text) PARTITION BY RANGE (at);
CREATE TABLE public.m_2025 PARTITION OF public.m FOR VALUES FROM ('2025-01-01') TO ('2027-01-01');
CREATE INDEX m_at ON public.m (at);
