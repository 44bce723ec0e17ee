CREATE TABLE public.acct (id int PRIMARY KEY);
CREATE TABLE public.events (id int NOT NULL, acct int REFERENCES public.acct, kind text NOT NULL, CONSTRAINT ev_id_positive CHECK (id > 0)) PARTITION BY LIST (kind);
CREATE TABLE public.events_a PARTITION OF public.events FOR VALUES IN ('a');
