-- Flyway runs a script containing CREATE INDEX CONCURRENTLY outside a transaction.
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_user_id_idx ON orders (user_id);
