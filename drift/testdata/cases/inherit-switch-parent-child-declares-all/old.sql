CREATE TABLE public.v1_events (id int, kind text);
CREATE TABLE public.events (id int, kind text, payload jsonb) INHERITS (public.v1_events);
