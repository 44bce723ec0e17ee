CREATE TABLE items (id int NOT NULL, kind text NOT NULL) PARTITION BY LIST (kind);
CREATE TABLE items_a (id int NOT NULL, kind text NOT NULL, CONSTRAINT items_a_pkey PRIMARY KEY (kind, id));
ALTER TABLE items ATTACH PARTITION items_a FOR VALUES IN ('a');
-- the partition's primary key index becomes the partitioned index's partition
CREATE UNIQUE INDEX items_kind_id_idx ON items (kind, id);
