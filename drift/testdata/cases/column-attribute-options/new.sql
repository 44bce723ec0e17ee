CREATE TABLE public.t (id int PRIMARY KEY, kind text);
ALTER TABLE public.t ALTER COLUMN kind SET (n_distinct = 20);
