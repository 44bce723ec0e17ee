-- Two partitioned unique indexes, each backed in Git by a key the new partition
-- declares; names that need quoting.
CREATE SCHEMA "Sales";
CREATE TABLE "Sales"."Deals" ("Id" int NOT NULL, "Code" text NOT NULL, at date NOT NULL, CONSTRAINT "Deals_at_check" CHECK (at > '2000-01-01')) PARTITION BY RANGE (at);
CREATE UNIQUE INDEX "Deals_Id_at" ON "Sales"."Deals" ("Id", at);
CREATE UNIQUE INDEX "Deals_Code_at" ON "Sales"."Deals" ("Code", at);
