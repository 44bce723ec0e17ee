INSERT INTO "Sales"."Customer" VALUES (1, 'Ada');
INSERT INTO "Sales"."Order" VALUES (1, 1, 9.99);
