INSERT INTO accounts VALUES (1, 'a'), (2, 'b');
INSERT INTO payments VALUES (1, 'a');
