CREATE TABLE public.v2_events (id int, kind text);
CREATE TABLE public.events (id int, kind text, payload jsonb) INHERITS (public.v2_events);
