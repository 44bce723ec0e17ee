CREATE TABLE public.old_events (id int NOT NULL, kind text NOT NULL, CONSTRAINT old_events_pkey PRIMARY KEY (id, kind)) PARTITION BY LIST (kind);
CREATE TABLE public.events_a PARTITION OF public.old_events FOR VALUES IN ('a');
CREATE TABLE public.ref (id int, kind text, CONSTRAINT ref_event_fkey FOREIGN KEY (id, kind) REFERENCES public.old_events);
