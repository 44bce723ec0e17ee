CREATE TABLE public.t (id int PRIMARY KEY, status text DEFAULT 'new');
