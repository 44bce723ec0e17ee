CREATE TABLE public."Order Lines" (id int PRIMARY KEY, "Line No" int NOT NULL, CONSTRAINT "Line No Unique" UNIQUE ("Line No"));
