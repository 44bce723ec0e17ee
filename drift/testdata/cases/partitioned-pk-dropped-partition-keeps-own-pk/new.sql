-- The parent's key goes and takes the partitions' parts along; Git keeps the
-- EU partition's key as its own (same name), so it is added again.
CREATE TABLE public.shipments (id int NOT NULL, region text NOT NULL) PARTITION BY LIST (region);
CREATE TABLE public.shipments_eu PARTITION OF public.shipments FOR VALUES IN ('eu');
CREATE TABLE public.shipments_us PARTITION OF public.shipments FOR VALUES IN ('us');
ALTER TABLE public.shipments_eu ADD CONSTRAINT shipments_eu_pkey PRIMARY KEY (id, region);
