INSERT INTO child VALUES (1, now(), 'x');
