CREATE TABLE jobs_a (id int, state text NOT NULL) PARTITION BY LIST (state);
CREATE TABLE jobs_b (id int, state text NOT NULL) PARTITION BY LIST (state);
CREATE TABLE jobs_done PARTITION OF jobs_b FOR VALUES IN ('done');
CREATE INDEX jobs_b_id_idx ON jobs_b (id);
ALTER INDEX jobs_done_id_idx RENAME TO jobs_done_by_id;
