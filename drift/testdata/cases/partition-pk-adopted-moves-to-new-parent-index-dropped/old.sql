CREATE TABLE public.m (id int NOT NULL, at date NOT NULL, v int) PARTITION BY RANGE (at);
CREATE TABLE public.m_2024 PARTITION OF public.m (CONSTRAINT m_2024_pkey PRIMARY KEY (id, at)) FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE UNIQUE INDEX m_id_at ON public.m (id, at);
CREATE TABLE public.n (id int NOT NULL, at date NOT NULL, v int) PARTITION BY RANGE (at);
INSERT INTO public.m VALUES (1, '2024-03-01', 1);
