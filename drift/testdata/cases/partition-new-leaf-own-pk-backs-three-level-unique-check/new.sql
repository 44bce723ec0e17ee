CREATE TABLE public.t (id int NOT NULL, region text NOT NULL, at date NOT NULL, CONSTRAINT t_id_positive CHECK (id > 0)) PARTITION BY LIST (region);
CREATE UNIQUE INDEX t_uq ON public.t (id, region, at);
CREATE TABLE public.t_eu PARTITION OF public.t (CONSTRAINT t_eu_at_recent CHECK (at > '2000-01-01')) FOR VALUES IN ('eu') PARTITION BY RANGE (at);
CREATE TABLE public.t_eu_2024 PARTITION OF public.t_eu FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
-- a new leaf whose own key backs the middle table's index (itself under t_uq)
CREATE TABLE public.t_eu_2025 (id int NOT NULL, region text NOT NULL, at date NOT NULL,
    CONSTRAINT t_eu_2025_pkey PRIMARY KEY (id, region, at),
    CONSTRAINT t_id_positive CHECK (id > 0), CONSTRAINT t_eu_at_recent CHECK (at > '2000-01-01'));
ALTER TABLE public.t_eu ATTACH PARTITION public.t_eu_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
-- a new middle table, partitioned, whose own key backs t_uq, with a leaf of its own
CREATE TABLE public.t_us (id int NOT NULL, region text NOT NULL, at date NOT NULL,
    CONSTRAINT t_us_key UNIQUE (id, region, at), CONSTRAINT t_id_positive CHECK (id > 0)) PARTITION BY RANGE (at);
CREATE TABLE public.t_us_2025 PARTITION OF public.t_us FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
ALTER TABLE public.t ATTACH PARTITION public.t_us FOR VALUES IN ('us');
