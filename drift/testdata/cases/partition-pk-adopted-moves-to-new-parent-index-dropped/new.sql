CREATE TABLE public.m (id int NOT NULL, at date NOT NULL, v int) PARTITION BY RANGE (at);
CREATE TABLE public.n (id int NOT NULL, at date NOT NULL, v int) PARTITION BY RANGE (at);
CREATE TABLE public.m_2024 PARTITION OF public.n (CONSTRAINT m_2024_pkey PRIMARY KEY (id, at)) FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE UNIQUE INDEX n_id_at ON public.n (id, at);
