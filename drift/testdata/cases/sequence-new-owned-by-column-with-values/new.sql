CREATE TABLE public.t (id int PRIMARY KEY, n int);
CREATE SEQUENCE public.t_n_seq AS integer START WITH 100 OWNED BY public.t.n;
ALTER TABLE public.t ALTER COLUMN n SET DEFAULT nextval('public.t_n_seq');
