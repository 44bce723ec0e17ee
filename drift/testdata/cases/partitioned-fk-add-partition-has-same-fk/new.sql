CREATE TABLE public.c (id int PRIMARY KEY);
CREATE TABLE public.m (id int NOT NULL, at date NOT NULL, c_id int, CONSTRAINT m_c_fk FOREIGN KEY (c_id) REFERENCES public.c (id)) PARTITION BY RANGE (at);
CREATE TABLE public.m_2025 PARTITION OF public.m FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
