CREATE TABLE public.acct (id int PRIMARY KEY);
CREATE TABLE public.old_events (id int NOT NULL, acct int REFERENCES public.acct, kind text NOT NULL) PARTITION BY LIST (kind);
CREATE TABLE public.events_a PARTITION OF public.old_events FOR VALUES IN ('a');
