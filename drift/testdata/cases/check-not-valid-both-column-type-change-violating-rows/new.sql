CREATE TABLE public.t (id int PRIMARY KEY, n bigint);
ALTER TABLE public.t ADD CONSTRAINT n_positive CHECK (n > 0) NOT VALID;
