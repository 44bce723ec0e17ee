CREATE TABLE readings (id serial, sensor text NOT NULL, value int DEFAULT 0) PARTITION BY LIST (sensor);
CREATE TABLE readings_a PARTITION OF readings FOR VALUES IN ('a');
CREATE TABLE readings_b PARTITION OF readings FOR VALUES IN ('b');
