-- golang-migrate runs a file as one multi-statement string; its docs suggest
-- wrapping the statements in a transaction.
BEGIN;
CREATE TABLE orders (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES users (id),
    total numeric(12,2) NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE orders IS 'one row per order';
COMMIT;
