CREATE TABLE jobs (id int, queue text NOT NULL, state text NOT NULL) PARTITION BY LIST (queue);
CREATE TABLE jobs_a PARTITION OF jobs FOR VALUES IN ('a');
CREATE TABLE other (id int);
