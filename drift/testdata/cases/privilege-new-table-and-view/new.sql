CREATE SCHEMA app;
CREATE TABLE app.orders (id int PRIMARY KEY, total numeric);
CREATE VIEW app.big_orders AS SELECT id, total FROM app.orders WHERE total > 100;
GRANT SELECT ON app.orders, app.big_orders TO schemactl_case_reader;
GRANT ALL ON app.orders TO schemactl_case_writer;
