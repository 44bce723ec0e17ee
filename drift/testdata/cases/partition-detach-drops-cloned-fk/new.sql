CREATE TABLE public.c (id int PRIMARY KEY);
CREATE TABLE public.m (id int NOT NULL, at date NOT NULL, c_id int REFERENCES public.c (id)) PARTITION BY RANGE (at);
CREATE TABLE public.m_2025 PARTITION OF public.m FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
-- archived without the foreign key
CREATE TABLE public.m_2024 (id int NOT NULL, at date NOT NULL, c_id int);
