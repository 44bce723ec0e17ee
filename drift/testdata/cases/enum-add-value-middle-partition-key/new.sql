CREATE TYPE public.region AS ENUM ('eu', 'uk', 'us', 'apac');
CREATE TABLE public.orders (id int, r public.region NOT NULL) PARTITION BY LIST (r);
CREATE TABLE public.orders_eu PARTITION OF public.orders FOR VALUES IN ('eu');
CREATE TABLE public.orders_rest PARTITION OF public.orders DEFAULT;
