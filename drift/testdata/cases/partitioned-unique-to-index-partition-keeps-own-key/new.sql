-- The parent's unique constraint becomes a unique index built ONLY on it (left
-- invalid); the partition keeps a unique constraint of its own.
CREATE TABLE public.shipments (id int NOT NULL, region text NOT NULL, code text) PARTITION BY LIST (region);
CREATE TABLE public.shipments_eu PARTITION OF public.shipments FOR VALUES IN ('eu');
CREATE UNIQUE INDEX shipments_code_region_key ON ONLY public.shipments (code, region);
ALTER TABLE public.shipments_eu ADD CONSTRAINT shipments_eu_code_region_key UNIQUE (code, region);
