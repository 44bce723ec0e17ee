CREATE TABLE public.old_events (id int NOT NULL, kind text NOT NULL, CONSTRAINT old_events_pkey PRIMARY KEY (id, kind)) PARTITION BY LIST (kind);
CREATE TABLE public.events_a PARTITION OF public.old_events FOR VALUES IN ('a');
CREATE INDEX events_a_kind ON public.events_a (kind);
