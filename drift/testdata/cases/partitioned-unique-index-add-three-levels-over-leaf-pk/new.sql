CREATE TABLE public.m (id int NOT NULL, at date NOT NULL, region text NOT NULL) PARTITION BY RANGE (at);
CREATE UNIQUE INDEX m_key ON public.m (id, at, region);
CREATE TABLE public.m_2024 PARTITION OF public.m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01') PARTITION BY LIST (region);
CREATE TABLE public.m_2024_eu PARTITION OF public.m_2024 (CONSTRAINT m_2024_eu_pkey PRIMARY KEY (id, at, region)) FOR VALUES IN ('eu');
CREATE TABLE public.m_2024_us PARTITION OF public.m_2024 FOR VALUES IN ('us');
CREATE UNIQUE INDEX m_2024_us_local ON public.m_2024_us (id, at, region);
