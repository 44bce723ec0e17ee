CREATE TABLE public.t (id int PRIMARY KEY, n int CONSTRAINT n_positive CHECK (n > 0));
