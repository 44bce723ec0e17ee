CREATE TABLE ledger_old (id int NOT NULL, region text NOT NULL) PARTITION BY LIST (region);
CREATE TABLE ledger_eu PARTITION OF ledger_old FOR VALUES IN ('eu');
CREATE TABLE ledger_us PARTITION OF ledger_old FOR VALUES IN ('us');
CREATE UNIQUE INDEX ledger_key ON ledger_old (region, id);
INSERT INTO ledger_old VALUES (1, 'eu'), (2, 'us');
