-- An undo migration (Flyway Teams): never run by schemactl.
DROP TABLE orders;
