CREATE TABLE public.t (id int NOT NULL, region text NOT NULL, at date NOT NULL) PARTITION BY LIST (region);
CREATE INDEX t_at ON public.t (at);
CREATE UNIQUE INDEX t_uq ON public.t (id, region, at);
CREATE TABLE public.t_eu PARTITION OF public.t FOR VALUES IN ('eu');
