CREATE TYPE public.st AS ENUM ('new', 'held', 'lost', 'done');
CREATE TABLE public.orders (id int, region int, y int, s public.st) PARTITION BY LIST (region);
CREATE TABLE public.orders_eu PARTITION OF public.orders FOR VALUES IN (1) PARTITION BY RANGE (y);
CREATE TABLE public.orders_eu_2025 PARTITION OF public.orders_eu FOR VALUES FROM (2025) TO (2026);
CREATE TABLE public.orders_eu_2026 PARTITION OF public.orders_eu FOR VALUES FROM (2026) TO (2027);
CREATE TABLE public.orders_us PARTITION OF public.orders FOR VALUES IN (2);
