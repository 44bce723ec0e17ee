CREATE TABLE jobs (id int, queue text NOT NULL, state text NOT NULL) PARTITION BY LIST (state);
CREATE TABLE jobs_done PARTITION OF jobs FOR VALUES IN ('done');
CREATE TABLE jobs_rest PARTITION OF jobs DEFAULT;
CREATE TABLE other (id int);
