CREATE TABLE public.t (id int PRIMARY KEY, qty int CONSTRAINT qty_range CHECK (qty > 0 AND qty < 100));
