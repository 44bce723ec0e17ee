CREATE TYPE public.status AS ENUM ('new', 'done');
CREATE TABLE public.customers (id serial PRIMARY KEY, name varchar(50) NOT NULL, legacy_code text);
CREATE TABLE public.orders (
    id serial PRIMARY KEY,
    customer_id int NOT NULL REFERENCES public.customers (id),
    status public.status NOT NULL DEFAULT 'new',
    total numeric(10,2),
    note text
);
CREATE INDEX orders_customer ON public.orders (customer_id);
CREATE TABLE public.old_audit (id int, msg text);
