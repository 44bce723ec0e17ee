CREATE TABLE ledger (id int NOT NULL, region text NOT NULL) PARTITION BY LIST (region);
CREATE TABLE ledger_eu PARTITION OF ledger FOR VALUES IN ('eu');
CREATE TABLE ledger_us PARTITION OF ledger FOR VALUES IN ('us');
CREATE UNIQUE INDEX ledger_key ON ledger (region, id);
