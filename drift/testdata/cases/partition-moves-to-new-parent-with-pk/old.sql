CREATE TABLE public.old_events (id int, kind text NOT NULL, PRIMARY KEY (id, kind)) PARTITION BY LIST (kind);
CREATE TABLE public.events_a PARTITION OF public.old_events FOR VALUES IN ('a');
CREATE TABLE public.events_b PARTITION OF public.old_events FOR VALUES IN ('b');
