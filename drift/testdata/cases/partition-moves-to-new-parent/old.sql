CREATE TABLE old_events (id int, kind text NOT NULL) PARTITION BY LIST (kind);
CREATE TABLE events_a PARTITION OF old_events FOR VALUES IN ('a');
