CREATE TABLE public.t (id int PRIMARY KEY, price int, qty int, total int GENERATED ALWAYS AS (price * qty) STORED);
CREATE VIEW public.v AS SELECT id, total FROM public.t;
