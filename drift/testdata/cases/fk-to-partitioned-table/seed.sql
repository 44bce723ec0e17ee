INSERT INTO events VALUES (1, 'a'), (2, 'b');
INSERT INTO "event refs" VALUES ('a', 1), ('b', 2);
