CREATE TABLE public.t (id int PRIMARY KEY, price int, qty int, total int GENERATED ALWAYS AS (price * qty + 1) STORED, CONSTRAINT total_ok CHECK (total >= 0 AND total < price * 1000));
