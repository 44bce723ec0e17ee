CREATE SCHEMA "App";
CREATE TABLE "App"."Items" ("Id" int PRIMARY KEY, "Name" text);
CREATE VIEW "App"."Item View" AS SELECT "Id", "Name" AS "Display Name" FROM "App"."Items";
COMMENT ON COLUMN "App"."Item View"."Display Name" IS 'shown';
