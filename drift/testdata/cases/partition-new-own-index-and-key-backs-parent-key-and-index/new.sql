CREATE TABLE public.m (id int NOT NULL, at date NOT NULL, v text, CONSTRAINT m_pkey PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE INDEX m_v ON public.m (v) WHERE v IS NOT NULL;
CREATE TABLE public.m_2024 PARTITION OF public.m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE public.r (id int, at date, FOREIGN KEY (id, at) REFERENCES public.m);
CREATE TABLE public.m_2025 (id int NOT NULL, at date NOT NULL, v text, CONSTRAINT m_2025_own_pk PRIMARY KEY (id, at));
CREATE INDEX m_2025_v_partial ON public.m_2025 (v) WHERE v IS NOT NULL;
ALTER TABLE public.m ATTACH PARTITION public.m_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
