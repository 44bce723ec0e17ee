CREATE TABLE public.m (id int NOT NULL, at date NOT NULL, k text NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE public.m_2024 PARTITION OF public.m (CONSTRAINT m_2024_key UNIQUE (id, at, k)) FOR VALUES FROM ('2024-01-01') TO ('2025-01-01') PARTITION BY LIST (k);
CREATE TABLE public.m_2024_a PARTITION OF public.m_2024 FOR VALUES IN ('a');
CREATE TABLE public.m_2024_b PARTITION OF public.m_2024 (CONSTRAINT m_2024_b_pkey PRIMARY KEY (id, at, k)) FOR VALUES IN ('b');
CREATE UNIQUE INDEX m_u ON public.m (id, at, k);
CREATE INDEX m_k ON public.m (k);
INSERT INTO public.m VALUES (1, '2024-03-01', 'a'), (2, '2024-03-01', 'b');
