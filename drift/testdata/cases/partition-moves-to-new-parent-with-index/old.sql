CREATE TABLE public.old_events (id int, kind text NOT NULL) PARTITION BY LIST (kind);
CREATE INDEX old_events_id ON public.old_events (id);
CREATE TABLE public.events_a PARTITION OF public.old_events FOR VALUES IN ('a');
