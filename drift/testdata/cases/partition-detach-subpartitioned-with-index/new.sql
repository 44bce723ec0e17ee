CREATE TABLE public.m (id int, at date NOT NULL, k int NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE public.m_2026 PARTITION OF public.m FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE INDEX m_at ON public.m (at);
-- archived with its partitions and no index
CREATE TABLE public.m_2025 (id int, at date NOT NULL, k int NOT NULL) PARTITION BY HASH (k);
CREATE TABLE public.m_2025_0 PARTITION OF public.m_2025 FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE public.m_2025_1 PARTITION OF public.m_2025 FOR VALUES WITH (MODULUS 2, REMAINDER 1);
