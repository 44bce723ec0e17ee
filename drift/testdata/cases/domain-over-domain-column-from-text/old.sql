CREATE DOMAIN qty AS int;
CREATE TABLE stock (id int, amount text);
