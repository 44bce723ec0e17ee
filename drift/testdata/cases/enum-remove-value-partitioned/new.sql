CREATE TYPE public.st AS ENUM ('new', 'done');
CREATE TABLE public.orders (id int, region int, s public.st NOT NULL) PARTITION BY LIST (region);
CREATE TABLE public.orders_eu PARTITION OF public.orders FOR VALUES IN (1);
CREATE TABLE public.orders_us PARTITION OF public.orders FOR VALUES IN (2);
