CREATE TABLE events (id int, kind text NOT NULL) PARTITION BY LIST (kind);
CREATE TABLE events_a PARTITION OF events FOR VALUES IN ('a');
