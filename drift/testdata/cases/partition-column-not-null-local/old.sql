CREATE TABLE readings (id int, sensor text NOT NULL, value numeric, note text DEFAULT 'none') PARTITION BY LIST (sensor);
