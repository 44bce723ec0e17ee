CREATE TABLE public.orders_v2 (id int PRIMARY KEY, total numeric, currency text);
CREATE VIEW public.orders AS SELECT id, total FROM public.orders_v2;
