CREATE TABLE public.a (id int PRIMARY KEY);
CREATE TABLE public.t (id int PRIMARY KEY, n int);
ALTER TABLE public.t ADD CONSTRAINT n_positive CHECK (n > 0) NOT VALID;
