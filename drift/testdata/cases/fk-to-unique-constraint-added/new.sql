CREATE TABLE accounts (id int PRIMARY KEY, code text NOT NULL UNIQUE);
CREATE TABLE payments (id int PRIMARY KEY, account_code text REFERENCES accounts (code));
