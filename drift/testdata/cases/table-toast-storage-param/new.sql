CREATE TABLE public.t (id int PRIMARY KEY, doc text) WITH (toast.autovacuum_enabled = false, autovacuum_enabled = false);
