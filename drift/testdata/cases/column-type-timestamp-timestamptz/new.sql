CREATE TABLE public.t (id int PRIMARY KEY, at timestamptz NOT NULL DEFAULT now());
