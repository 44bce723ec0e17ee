CREATE TABLE ledger (id int, region text NOT NULL, amount numeric) PARTITION BY LIST (region);
CREATE TABLE ledger_eu PARTITION OF ledger FOR VALUES IN ('eu');
CREATE INDEX ledger_region_idx ON ledger (region, id);
