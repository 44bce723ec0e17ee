CREATE TABLE public.t (id int PRIMARY KEY, n int);
CREATE TABLE public.v (id int PRIMARY KEY, n int);
ALTER TABLE public.v ADD CONSTRAINT v_n CHECK (n > 0) NOT VALID;
