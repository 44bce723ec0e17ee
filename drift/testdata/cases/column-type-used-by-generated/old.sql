CREATE TABLE public.t (id int PRIMARY KEY, price numeric(10,2) NOT NULL, qty int NOT NULL,
    total numeric GENERATED ALWAYS AS (price * qty) STORED);
