CREATE TABLE measurements (id int, city text NOT NULL, at date) PARTITION BY LIST (city);
CREATE TABLE measurements_oslo PARTITION OF measurements FOR VALUES IN ('oslo');
CREATE TABLE measurements_rome PARTITION OF measurements FOR VALUES IN ('rome');
CREATE INDEX measurements_at_idx ON measurements (at);
