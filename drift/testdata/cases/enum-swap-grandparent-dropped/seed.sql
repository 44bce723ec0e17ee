INSERT INTO leaf VALUES (1, 'new', 'm', 'l');
INSERT INTO middle VALUES (2, 'gone', 'm');
