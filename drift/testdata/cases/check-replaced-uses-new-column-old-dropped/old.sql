CREATE TABLE public.t (id int PRIMARY KEY, price_cents int, CONSTRAINT price_ok CHECK (price_cents >= 0));
