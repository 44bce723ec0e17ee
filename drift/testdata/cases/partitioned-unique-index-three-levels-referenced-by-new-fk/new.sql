CREATE TABLE public.event (
    region text NOT NULL,
    day date NOT NULL,
    id bigint NOT NULL,
    payload text
) PARTITION BY LIST (region);
CREATE TABLE public.event_eu PARTITION OF public.event FOR VALUES IN ('eu') PARTITION BY RANGE (day);
CREATE TABLE public.event_eu_2026 PARTITION OF public.event_eu FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE public.event_us PARTITION OF public.event FOR VALUES IN ('us');
ALTER TABLE public.event ADD CONSTRAINT event_key UNIQUE (region, day, id);
CREATE TABLE public.event_note (
    id bigint PRIMARY KEY,
    region text NOT NULL,
    day date NOT NULL,
    event_id bigint NOT NULL
);
ALTER TABLE public.event_note ADD CONSTRAINT event_note_event_fk FOREIGN KEY (region, day, event_id) REFERENCES public.event (region, day, id);
