CREATE TABLE public.m (id int NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);
CREATE INDEX m_id ON public.m (id);
CREATE TABLE public.n (id int NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);
CREATE INDEX n_id ON public.n (id);
CREATE TABLE public.m_2024 PARTITION OF public.n FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
