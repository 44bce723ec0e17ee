CREATE TABLE public.m (id int NOT NULL, at date NOT NULL, v int, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE TABLE public.m_2024 PARTITION OF public.m (CONSTRAINT m_2024_u UNIQUE (at, id)) FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE UNIQUE INDEX m_at_id ON public.m (at, id);
CREATE TABLE public.ref (id int, at date, FOREIGN KEY (id, at) REFERENCES public.m);
