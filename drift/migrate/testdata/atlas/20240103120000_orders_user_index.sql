-- atlas:txmode none

-- Create index "orders_user_id_idx" to table: "orders"
CREATE INDEX CONCURRENTLY "orders_user_id_idx" ON "orders" ("user_id");
