CREATE TABLE public.shipments (id int NOT NULL, region text NOT NULL, code text) PARTITION BY LIST (region);
CREATE TABLE public.shipments_eu PARTITION OF public.shipments FOR VALUES IN ('eu');
ALTER TABLE public.shipments ADD CONSTRAINT shipments_code_region_key UNIQUE (code, region);
INSERT INTO public.shipments VALUES (1, 'eu', 'a');
