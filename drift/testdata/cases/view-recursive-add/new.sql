CREATE TABLE public.t (id int PRIMARY KEY, v text, n int);
CREATE RECURSIVE VIEW public.nums (k) AS SELECT 1 UNION ALL SELECT k + 1 FROM nums WHERE k < 5;
