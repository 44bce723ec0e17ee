CREATE TABLE public.t (id int PRIMARY KEY, price numeric(12,2) NOT NULL, qty bigint NOT NULL,
    total numeric GENERATED ALWAYS AS (price * qty) STORED);
