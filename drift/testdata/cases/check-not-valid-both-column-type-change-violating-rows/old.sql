CREATE TABLE public.t (id int PRIMARY KEY, n int);
INSERT INTO public.t VALUES (1, -5), (2, 3);
ALTER TABLE public.t ADD CONSTRAINT n_positive CHECK (n > 0) NOT VALID;
