CREATE SCHEMA "order";
CREATE TABLE "order"."from" (id int PRIMARY KEY, "limit" int);
