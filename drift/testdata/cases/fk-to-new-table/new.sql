CREATE TABLE public.customers (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE public.orders (id int PRIMARY KEY, customer_id int REFERENCES public.customers (id));
CREATE INDEX orders_customer ON public.orders (customer_id);
