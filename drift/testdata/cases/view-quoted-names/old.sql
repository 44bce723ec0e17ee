CREATE SCHEMA "App";
CREATE TABLE "App"."Items" ("Id" int PRIMARY KEY, "Name" text);
