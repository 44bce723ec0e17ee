CREATE TABLE public.t (id int PRIMARY KEY, created_at timestamptz);
