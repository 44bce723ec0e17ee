CREATE TABLE m (id int, k text NOT NULL, v int) PARTITION BY LIST (k);
CREATE TABLE m_a PARTITION OF m FOR VALUES IN ('a');
CREATE INDEX m_v ON m (v);
ALTER INDEX m_a_v_idx SET (fillfactor = 60);
