CREATE SCHEMA "Sales";
CREATE TABLE "Sales"."Deals" ("Id" int NOT NULL, "Code" text NOT NULL, at date NOT NULL, CONSTRAINT "Deals_at_check" CHECK (at > '2000-01-01')) PARTITION BY RANGE (at);
CREATE TABLE "Sales"."Deals 2025" PARTITION OF "Sales"."Deals" (
  CONSTRAINT "Deals 2025 pkey" PRIMARY KEY ("Id", at),
  CONSTRAINT "Deals 2025's code" UNIQUE ("Code", at)
) FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE UNIQUE INDEX "Deals_Id_at" ON "Sales"."Deals" ("Id", at);
CREATE UNIQUE INDEX "Deals_Code_at" ON "Sales"."Deals" ("Code", at);
COMMENT ON CONSTRAINT "Deals 2025's code" ON "Sales"."Deals 2025" IS 'one code a year';
