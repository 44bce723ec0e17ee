CREATE TABLE public.t (id int PRIMARY KEY, token uuid NOT NULL DEFAULT gen_random_uuid());
