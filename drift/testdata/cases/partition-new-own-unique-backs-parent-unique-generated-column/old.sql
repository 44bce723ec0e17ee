CREATE TABLE public.orders (id bigint NOT NULL, region text NOT NULL, qty int, twice int GENERATED ALWAYS AS (qty * 2) STORED) PARTITION BY LIST (region);
CREATE UNIQUE INDEX orders_region_id ON public.orders (region, id);
CREATE TABLE public.orders_eu PARTITION OF public.orders FOR VALUES IN ('eu');
INSERT INTO public.orders (id, region, qty) VALUES (1, 'eu', 3);
