CREATE TABLE metrics (id int, kind text NOT NULL, v int NOT NULL) PARTITION BY LIST (kind);
CREATE TABLE metrics_cpu PARTITION OF metrics FOR VALUES IN ('cpu');
CREATE TABLE metrics_mem PARTITION OF metrics FOR VALUES IN ('mem');
CREATE INDEX metrics_v_idx ON metrics (v);
