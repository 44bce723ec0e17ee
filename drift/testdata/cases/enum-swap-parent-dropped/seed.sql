INSERT INTO child VALUES (1, 'sad', 'x');
