CREATE TABLE metrics (id int, kind text NOT NULL, v int NOT NULL);
-- the cpu partition stays as a table of its own, with its rows
CREATE TABLE metrics_cpu (id int, kind text NOT NULL, v int NOT NULL, CONSTRAINT metrics_cpu_kind_check CHECK (kind = 'cpu'));
CREATE INDEX metrics_cpu_v_idx ON metrics_cpu (v);
