CREATE TABLE public.m (id int NOT NULL, at date NOT NULL, CONSTRAINT m_pkey PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE INDEX m_at ON public.m (at);
CREATE TABLE public.m_2024 (id int NOT NULL, at date NOT NULL, CONSTRAINT m_2024_own_pkey PRIMARY KEY (id, at), CONSTRAINT m_2024_at_check CHECK (at >= '2024-01-01' AND at < '2025-01-01'));
CREATE INDEX m_2024_own_at ON public.m_2024 (at);
