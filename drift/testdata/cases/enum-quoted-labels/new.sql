CREATE SCHEMA "My App";
CREATE TYPE "My App"."Status" AS ENUM ('it''s new', 'In "Progress"', 'Done', 'back\slash');
CREATE TABLE "My App".t (id int PRIMARY KEY, s "My App"."Status" DEFAULT 'In "Progress"');
