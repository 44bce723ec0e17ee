CREATE TABLE public."user" (id int PRIMARY KEY, "select" text, "order" int);
