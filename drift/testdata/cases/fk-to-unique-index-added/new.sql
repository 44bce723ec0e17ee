CREATE TABLE accounts (id int PRIMARY KEY, code text NOT NULL);
CREATE UNIQUE INDEX accounts_code_idx ON accounts (code);
CREATE TABLE payments (id int PRIMARY KEY, account_code text REFERENCES accounts (code));
