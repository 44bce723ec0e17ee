CREATE TABLE public.m (id int NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE public.m_2024 (id int NOT NULL, at date NOT NULL);
INSERT INTO public.m_2024 VALUES (1, '2024-03-01'), (2, '2023-12-31'), (3, '2025-01-01');
