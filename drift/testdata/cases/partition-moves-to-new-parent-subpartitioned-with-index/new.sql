CREATE TABLE public.events (id int, kind text NOT NULL, at date NOT NULL) PARTITION BY LIST (kind);
CREATE INDEX events_id ON public.events (id);
CREATE TABLE public.events_a PARTITION OF public.events FOR VALUES IN ('a') PARTITION BY RANGE (at);
CREATE TABLE public.events_a_2025 PARTITION OF public.events_a FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
