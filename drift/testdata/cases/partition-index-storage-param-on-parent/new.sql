CREATE TABLE m (id int, k text NOT NULL, v int) PARTITION BY LIST (k);
CREATE TABLE m_a PARTITION OF m FOR VALUES IN ('a');
CREATE INDEX m_v ON m (v) WITH (fillfactor = 70);
