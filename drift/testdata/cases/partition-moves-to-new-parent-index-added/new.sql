CREATE TABLE public.events (id int, kind text NOT NULL) PARTITION BY LIST (kind);
CREATE UNIQUE INDEX events_id_kind ON public.events (id, kind);
CREATE TABLE public.events_a PARTITION OF public.events FOR VALUES IN ('a');
