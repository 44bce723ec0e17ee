-- The old parent's index and the new parent's share a name: the old one is
-- dropped before the partition leaves, and takes the partition's index along.
CREATE TABLE ledger_old (id int, region text NOT NULL, amount numeric) PARTITION BY LIST (region);
CREATE TABLE ledger_eu PARTITION OF ledger_old FOR VALUES IN ('eu');
CREATE INDEX ledger_region_idx ON ledger_old (region, id);
INSERT INTO ledger_eu VALUES (1, 'eu', 10), (2, 'eu', 20);
