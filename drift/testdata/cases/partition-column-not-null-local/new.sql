CREATE TABLE readings (id int, sensor text NOT NULL, value numeric, note text DEFAULT 'none') PARTITION BY LIST (sensor);
CREATE TABLE readings_a PARTITION OF readings (value WITH OPTIONS NOT NULL, note DEFAULT 'from a') FOR VALUES IN ('a');
