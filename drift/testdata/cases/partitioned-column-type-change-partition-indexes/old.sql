CREATE TABLE public.m (id int NOT NULL, at date NOT NULL, amount int) PARTITION BY RANGE (at);
CREATE TABLE public.m_2025 PARTITION OF public.m FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE public.m_2026 PARTITION OF public.m FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE INDEX m_amount ON public.m (amount);
CREATE INDEX m_2025_amount_local ON public.m_2025 (amount) WHERE amount > 0;
