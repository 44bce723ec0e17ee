CREATE TABLE measurements (id int, city text NOT NULL, at date) PARTITION BY LIST (city);
CREATE TABLE measurements_oslo PARTITION OF measurements FOR VALUES IN ('oslo');
CREATE TABLE measurements_rome PARTITION OF measurements FOR VALUES IN ('rome');
CREATE INDEX measurements_at_idx ON ONLY measurements (at);
CREATE INDEX oslo_at ON measurements_oslo (at);
ALTER INDEX measurements_at_idx ATTACH PARTITION oslo_at;
-- built but never attached: the partitioned index stays invalid
CREATE INDEX rome_at ON measurements_rome (at);
