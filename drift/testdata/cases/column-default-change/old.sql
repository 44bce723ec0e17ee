CREATE TABLE public.t (id int PRIMARY KEY, n int DEFAULT 1, at timestamptz DEFAULT now());
