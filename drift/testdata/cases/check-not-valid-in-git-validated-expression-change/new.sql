CREATE TABLE public.t (id int PRIMARY KEY, n int);
ALTER TABLE public.t ADD CONSTRAINT n_check CHECK (n >= 0) NOT VALID;
