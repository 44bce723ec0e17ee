CREATE TABLE public.old_events (id int NOT NULL, kind text NOT NULL, at date NOT NULL, CONSTRAINT old_events_pkey PRIMARY KEY (id, kind, at)) PARTITION BY LIST (kind);
CREATE TABLE public.events_a PARTITION OF public.old_events FOR VALUES IN ('a') PARTITION BY RANGE (at);
CREATE TABLE public.events_a_2025 PARTITION OF public.events_a FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE public.events_a_2026 PARTITION OF public.events_a FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
