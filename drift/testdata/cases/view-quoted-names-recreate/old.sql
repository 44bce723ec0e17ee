CREATE SCHEMA "App";
CREATE TABLE "App"."Items" ("Id" int PRIMARY KEY, "Name" text);
CREATE VIEW "App"."Item View" AS SELECT "Id", "Name" FROM "App"."Items";
CREATE VIEW "App"."On Top" AS SELECT "Id" FROM "App"."Item View";
