INSERT INTO metrics VALUES (1, 'cpu', 10), (2, 'mem', 20);
