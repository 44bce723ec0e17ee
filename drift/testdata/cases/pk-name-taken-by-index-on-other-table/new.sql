CREATE TABLE public.orders (id int, ref text);
CREATE TABLE public.orders_v2 (id int NOT NULL, ref text);
CREATE UNIQUE INDEX orders_key ON public.orders_v2 (id);
