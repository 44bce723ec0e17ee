CREATE TABLE public.t (id int PRIMARY KEY, price numeric(12,2) DEFAULT 0, CONSTRAINT price_ok CHECK (price >= 0));
