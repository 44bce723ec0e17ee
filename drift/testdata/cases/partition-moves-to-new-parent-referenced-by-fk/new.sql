CREATE TABLE public.events (id int NOT NULL, kind text NOT NULL, CONSTRAINT events_pkey PRIMARY KEY (id, kind)) PARTITION BY LIST (kind);
CREATE TABLE public.events_a PARTITION OF public.events FOR VALUES IN ('a');
CREATE TABLE public.ref (id int, kind text, CONSTRAINT ref_event_fkey FOREIGN KEY (id, kind) REFERENCES public.events);
