CREATE TABLE items (id int NOT NULL, kind text NOT NULL) PARTITION BY LIST (kind);
CREATE UNIQUE INDEX items_kind_id_idx ON items (kind, id);
CREATE TABLE items_a PARTITION OF items FOR VALUES IN ('a');
