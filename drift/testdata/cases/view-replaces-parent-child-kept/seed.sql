INSERT INTO special_items VALUES (1, 'a', true);
INSERT INTO items VALUES (2, 'b');
INSERT INTO parted_1 VALUES (5, 'x');
