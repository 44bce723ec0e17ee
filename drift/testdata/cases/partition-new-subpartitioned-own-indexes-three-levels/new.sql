CREATE TABLE public.t (id int NOT NULL, region text NOT NULL, at date NOT NULL) PARTITION BY LIST (region);
CREATE INDEX t_at ON public.t (at);
CREATE UNIQUE INDEX t_uq ON public.t (id, region, at);
CREATE TABLE public.t_eu PARTITION OF public.t FOR VALUES IN ('eu');
-- a new middle table with indexes of its own, and leaves with theirs
CREATE TABLE public.t_us (id int NOT NULL, region text NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);
CREATE INDEX us_at ON public.t_us (at);
CREATE UNIQUE INDEX us_uq ON public.t_us (id, region, at);
CREATE TABLE public.t_us_2025 (id int NOT NULL, region text NOT NULL, at date NOT NULL, CONSTRAINT us_2025_pk PRIMARY KEY (id, region, at));
CREATE INDEX us_2025_at ON public.t_us_2025 (at);
ALTER TABLE public.t_us ATTACH PARTITION public.t_us_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE public.t_us_2026 PARTITION OF public.t_us FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
ALTER TABLE public.t ATTACH PARTITION public.t_us FOR VALUES IN ('us');
