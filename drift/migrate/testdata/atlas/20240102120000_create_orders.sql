-- Create "orders" table
CREATE TABLE "orders" (
  "id" bigint NOT NULL GENERATED ALWAYS AS IDENTITY,
  "user_id" bigint NOT NULL,
  "total" numeric(12,2) NOT NULL DEFAULT 0,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY ("id"),
  CONSTRAINT "orders_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users" ("id")
);
-- Set comment to table: "orders"
COMMENT ON TABLE "orders" IS 'one row per order';
