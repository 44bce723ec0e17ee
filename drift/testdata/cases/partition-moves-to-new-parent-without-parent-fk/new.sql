CREATE TABLE public.acct (id int PRIMARY KEY);
-- the new parent has no foreign key: the partition keeps none of the old one's
CREATE TABLE public.events (id int NOT NULL, acct int, kind text NOT NULL) PARTITION BY LIST (kind);
CREATE TABLE public.events_a PARTITION OF public.events FOR VALUES IN ('a');
