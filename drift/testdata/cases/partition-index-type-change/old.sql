CREATE TABLE measurements (id int, city text NOT NULL, at date) PARTITION BY LIST (city);
CREATE TABLE measurements_oslo PARTITION OF measurements FOR VALUES IN ('oslo');
CREATE TABLE measurements_rome PARTITION OF measurements FOR VALUES IN ('rome');
CREATE INDEX measurements_at_idx ON ONLY measurements (at);
CREATE INDEX "Oslo At" ON measurements_oslo (at);
ALTER INDEX measurements_at_idx ATTACH PARTITION "Oslo At";
CREATE INDEX rome_at ON measurements_rome (at);
ALTER INDEX measurements_at_idx ATTACH PARTITION rome_at;
