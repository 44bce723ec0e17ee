INSERT INTO m VALUES (1, 'a'), (2, 'b'); INSERT INTO r VALUES (1, 'a');
