INSERT INTO stock VALUES (1, '5'), (2, '5000');
