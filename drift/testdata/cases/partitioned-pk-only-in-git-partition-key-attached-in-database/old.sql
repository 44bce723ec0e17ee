CREATE TABLE public.visits (id int NOT NULL, day date NOT NULL) PARTITION BY RANGE (day);
CREATE TABLE public.visits_2025 PARTITION OF public.visits FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
ALTER TABLE public.visits ADD CONSTRAINT visits_pkey PRIMARY KEY (id, day);
