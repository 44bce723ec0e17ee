CREATE TABLE special_items (id int, name text, flag bool);
CREATE TABLE parted_1 (id int, v text);
CREATE VIEW items AS SELECT id, name FROM special_items;
CREATE VIEW parted AS SELECT id, v FROM parted_1;
