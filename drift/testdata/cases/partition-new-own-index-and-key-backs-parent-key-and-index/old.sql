CREATE TABLE public.m (id int NOT NULL, at date NOT NULL, v text, CONSTRAINT m_pkey PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE INDEX m_v ON public.m (v) WHERE v IS NOT NULL;
CREATE TABLE public.m_2024 PARTITION OF public.m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE public.r (id int, at date, FOREIGN KEY (id, at) REFERENCES public.m);
