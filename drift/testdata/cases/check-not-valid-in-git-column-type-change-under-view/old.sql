CREATE TABLE public.t (id int PRIMARY KEY, n int CONSTRAINT n_positive CHECK (n > 0));
CREATE VIEW public.v AS SELECT id, n FROM public.t;
