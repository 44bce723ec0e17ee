CREATE TABLE public.shipments (id int NOT NULL, region text NOT NULL, CONSTRAINT shipments_pkey PRIMARY KEY (id, region)) PARTITION BY LIST (region);
CREATE TABLE public.shipments_eu PARTITION OF public.shipments FOR VALUES IN ('eu');
CREATE TABLE public.shipments_us PARTITION OF public.shipments FOR VALUES IN ('us');
INSERT INTO public.shipments VALUES (1, 'eu'), (2, 'us');
