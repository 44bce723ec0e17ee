CREATE TABLE public.t (id int PRIMARY KEY, n int DEFAULT 2, at timestamptz DEFAULT (now() + interval '1 day'));
