CREATE TABLE measurements (id int, city text NOT NULL, at date) PARTITION BY LIST (city);
CREATE TABLE measurements_oslo PARTITION OF measurements FOR VALUES IN ('oslo');
CREATE TABLE measurements_rome PARTITION OF measurements FOR VALUES IN ('rome');
-- only Oslo keeps its index, now on its own
CREATE INDEX measurements_oslo_at_idx ON measurements_oslo (at);
