CREATE TABLE public.t (id int NOT NULL, kind text NOT NULL, at date NOT NULL, PRIMARY KEY (id, kind, at)) PARTITION BY LIST (kind);
CREATE TABLE public.t_a PARTITION OF public.t FOR VALUES IN ('a') PARTITION BY RANGE (at);
CREATE TABLE public.leaf_2025 PARTITION OF public.t_a FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE public.ref (id int, kind text, at date, FOREIGN KEY (id, kind, at) REFERENCES public.t);
