CREATE TABLE jobs_a (id int, state text NOT NULL, at timestamptz) PARTITION BY LIST (state);
CREATE TABLE jobs_b (id int, state text NOT NULL, at timestamptz) PARTITION BY LIST (state);
CREATE TABLE jobs_a_new PARTITION OF jobs_a FOR VALUES IN ('new');
CREATE TABLE jobs_done PARTITION OF jobs_b FOR VALUES IN ('done');
CREATE INDEX jobs_a_id_idx ON jobs_a (id, at);
CREATE INDEX jobs_b_id_idx ON jobs_b (id);
ALTER INDEX jobs_done_id_idx RENAME TO jobs_done_by_id;
