CREATE TABLE events (id int, kind text, PRIMARY KEY (kind, id)) PARTITION BY LIST (kind);
CREATE TABLE events_a PARTITION OF events FOR VALUES IN ('a');
CREATE TABLE events_b PARTITION OF events FOR VALUES IN ('b');
CREATE TABLE "event refs" (kind text, event_id int);
