CREATE TABLE public.t (id int PRIMARY KEY, price numeric NOT NULL, qty int NOT NULL, total numeric GENERATED ALWAYS AS (price * qty * 1.2) STORED);
CREATE INDEX t_total ON public.t (total);
