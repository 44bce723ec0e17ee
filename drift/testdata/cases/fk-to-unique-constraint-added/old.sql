CREATE TABLE accounts (id int PRIMARY KEY, code text NOT NULL);
CREATE TABLE payments (id int PRIMARY KEY, account_code text);
