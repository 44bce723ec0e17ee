CREATE TABLE public."Order Lines" (id int PRIMARY KEY, "Line No" int);
