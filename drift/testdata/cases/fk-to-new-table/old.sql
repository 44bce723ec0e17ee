CREATE TABLE public.orders (id int PRIMARY KEY, customer_id int);
