CREATE TABLE public.events (id int, kind text NOT NULL) PARTITION BY LIST (kind);
CREATE INDEX events_id ON public.events (id);
CREATE TABLE public.events_a PARTITION OF public.events FOR VALUES IN ('a');
