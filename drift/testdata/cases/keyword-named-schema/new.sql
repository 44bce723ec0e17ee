CREATE SCHEMA "order";
CREATE TABLE "order"."from" (id int PRIMARY KEY, "limit" bigint, "offset" int DEFAULT 0);
CREATE SEQUENCE "order"."select" OWNED BY "order"."from"."limit";
CREATE INDEX "where" ON "order"."from" ("limit");
