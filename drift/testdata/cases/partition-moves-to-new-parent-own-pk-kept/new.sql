CREATE TABLE public.events (id int NOT NULL, kind text NOT NULL) PARTITION BY LIST (kind);
CREATE UNIQUE INDEX events_id_kind ON public.events (id, kind);
CREATE INDEX events_kind ON public.events (kind);
CREATE TABLE public.events_a (id int NOT NULL, kind text NOT NULL, CONSTRAINT events_a_pkey PRIMARY KEY (id, kind));
CREATE INDEX events_a_kind ON public.events_a (kind);
ALTER TABLE public.events ATTACH PARTITION public.events_a FOR VALUES IN ('a');
