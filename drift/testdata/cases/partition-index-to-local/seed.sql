INSERT INTO measurements VALUES (1, 'oslo', '2026-01-01'), (2, 'rome', '2026-02-01');
