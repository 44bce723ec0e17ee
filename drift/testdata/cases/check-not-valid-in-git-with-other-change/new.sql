CREATE TABLE public.t (id int, n int, note text);
ALTER TABLE public.t ADD CONSTRAINT n_positive CHECK (n > 0) NOT VALID;
