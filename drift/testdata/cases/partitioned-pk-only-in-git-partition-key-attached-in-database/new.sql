-- Git adds the key to the parent only (its index stays invalid) and gives the
-- partition a plain unique index; in the database the partition's key is part
-- of the parent's, and cannot be dropped without it.
CREATE TABLE public.visits (id int NOT NULL, day date NOT NULL) PARTITION BY RANGE (day);
CREATE TABLE public.visits_2025 PARTITION OF public.visits FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
ALTER TABLE ONLY public.visits ADD CONSTRAINT visits_pkey PRIMARY KEY (id, day);
CREATE UNIQUE INDEX visits_2025_pkey ON public.visits_2025 (id, day);
