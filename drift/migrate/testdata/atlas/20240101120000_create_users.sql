-- Create "users" table
CREATE TABLE "users" (
  "id" bigint NOT NULL GENERATED ALWAYS AS IDENTITY,
  "email" text NOT NULL,
  PRIMARY KEY ("id"),
  CONSTRAINT "users_email_key" UNIQUE ("email")
);
