CREATE TABLE public.orders (id int CONSTRAINT orders_key PRIMARY KEY, ref text);
CREATE TABLE public.orders_v2 (id int NOT NULL, ref text);
