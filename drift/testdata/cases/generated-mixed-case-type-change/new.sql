CREATE TABLE public."Invoice" ("Id" int PRIMARY KEY, "Net" numeric(14,2) NOT NULL, "Gross" numeric GENERATED ALWAYS AS ("Net" * 1.2) STORED);
CREATE INDEX "IX_Gross" ON public."Invoice" ("Gross");
