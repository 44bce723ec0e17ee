CREATE TABLE public."user" (
    id int PRIMARY KEY,
    "select" varchar(50),
    "order" bigint NOT NULL DEFAULT 0,
    "group" text,
    "first name" text,
    "Weird""Quote" int,
    "ünïcödé" text,
    "1st" int
);
CREATE TABLE public."table" ("check" int CHECK ("check" > 0), "from" int REFERENCES public."user" (id));
CREATE INDEX "index with space" ON public."user" ("first name", "group");
CREATE INDEX "select" ON public."user" ("select") WHERE "order" > 0;
COMMENT ON COLUMN public."user"."first name" IS 'given name';
