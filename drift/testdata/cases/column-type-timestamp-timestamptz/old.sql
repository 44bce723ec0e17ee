CREATE TABLE public.t (id int PRIMARY KEY, at timestamp NOT NULL DEFAULT now());
