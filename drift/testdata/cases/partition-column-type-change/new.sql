CREATE TABLE readings (id bigint, sensor text NOT NULL, value numeric(12,3) NOT NULL DEFAULT 0.5) PARTITION BY LIST (sensor);
CREATE TABLE readings_a PARTITION OF readings FOR VALUES IN ('a');
CREATE TABLE readings_b PARTITION OF readings FOR VALUES IN ('b');
