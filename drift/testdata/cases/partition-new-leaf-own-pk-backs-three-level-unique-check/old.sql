CREATE TABLE public.t (id int NOT NULL, region text NOT NULL, at date NOT NULL, CONSTRAINT t_id_positive CHECK (id > 0)) PARTITION BY LIST (region);
CREATE UNIQUE INDEX t_uq ON public.t (id, region, at);
CREATE TABLE public.t_eu PARTITION OF public.t (CONSTRAINT t_eu_at_recent CHECK (at > '2000-01-01')) FOR VALUES IN ('eu') PARTITION BY RANGE (at);
CREATE TABLE public.t_eu_2024 PARTITION OF public.t_eu FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
