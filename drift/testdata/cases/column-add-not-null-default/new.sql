CREATE TABLE public.t (id int PRIMARY KEY, active boolean NOT NULL DEFAULT true);
