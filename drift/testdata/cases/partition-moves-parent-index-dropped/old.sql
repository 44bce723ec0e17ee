-- The old parent stays but loses its index (dropped before the partition
-- leaves); the new parent has an index of the same definition, to which Git
-- attaches the partition's index of the same name.
CREATE TABLE jobs_a (id int, state text NOT NULL) PARTITION BY LIST (state);
CREATE TABLE jobs_b (id int, state text NOT NULL) PARTITION BY LIST (state);
CREATE TABLE jobs_done PARTITION OF jobs_a FOR VALUES IN ('done');
CREATE INDEX jobs_a_id_idx ON jobs_a (id);
ALTER INDEX jobs_done_id_idx RENAME TO jobs_done_by_id;
INSERT INTO jobs_done VALUES (1, 'done');
