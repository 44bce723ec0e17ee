CREATE TABLE items (id int, name text);
CREATE TABLE special_items (flag bool) INHERITS (items);
CREATE TABLE parted (id int, v text) PARTITION BY RANGE (id);
CREATE TABLE parted_1 PARTITION OF parted FOR VALUES FROM (0) TO (100);
