CREATE TABLE public.t (id int PRIMARY KEY) WITH (autovacuum_vacuum_scale_factor = 0.05, fillfactor = 80);
