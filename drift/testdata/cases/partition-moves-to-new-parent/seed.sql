INSERT INTO old_events VALUES (1, 'a');
