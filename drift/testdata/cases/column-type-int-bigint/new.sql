CREATE TABLE public.t (id int PRIMARY KEY, n bigint NOT NULL DEFAULT 0);
