CREATE TABLE public.t (id int PRIMARY KEY, n int CONSTRAINT n_check CHECK (n > 0));
