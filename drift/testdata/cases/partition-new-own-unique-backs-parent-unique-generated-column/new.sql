CREATE TABLE public.orders (id bigint NOT NULL, region text NOT NULL, qty int, twice int GENERATED ALWAYS AS (qty * 2) STORED) PARTITION BY LIST (region);
CREATE TABLE public.orders_eu PARTITION OF public.orders FOR VALUES IN ('eu');
CREATE TABLE public.orders_us PARTITION OF public.orders (CONSTRAINT "orders_us_100%_key" UNIQUE (region, id)) FOR VALUES IN ('us');
CREATE UNIQUE INDEX orders_region_id ON public.orders (region, id);
