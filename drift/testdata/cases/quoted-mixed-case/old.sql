CREATE SCHEMA "Sales";
CREATE TABLE "Sales"."Customer" ("Id" int PRIMARY KEY, "FullName" text NOT NULL);
CREATE TABLE "Sales"."Order" ("Id" int PRIMARY KEY, "CustomerId" int, "Total" numeric(10,2));
CREATE INDEX "IX_Order_Total" ON "Sales"."Order" ("Total");
