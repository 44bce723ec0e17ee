CREATE TABLE public.t (id int PRIMARY KEY, price numeric NOT NULL, qty int NOT NULL, total numeric);
