CREATE TABLE public.t (id int PRIMARY KEY, created_at timestamptz);
CREATE INDEX t_created ON public.t USING brin (created_at) WITH (pages_per_range = 32);
