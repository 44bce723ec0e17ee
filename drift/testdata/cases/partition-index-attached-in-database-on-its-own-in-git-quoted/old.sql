CREATE SCHEMA "Data";
CREATE TABLE "Data"."Readings" (id int, "Site" text NOT NULL) PARTITION BY LIST ("Site");
CREATE TABLE "Data"."Readings A" PARTITION OF "Data"."Readings" FOR VALUES IN ('a');
CREATE INDEX "Readings Site" ON ONLY "Data"."Readings" ("Site", id);
CREATE INDEX "A Site" ON "Data"."Readings A" ("Site", id);
ALTER INDEX "Data"."Readings Site" ATTACH PARTITION "Data"."A Site";
