INSERT INTO events (at) VALUES ('2026-03-01');
INSERT INTO event_notes VALUES (1, NULL, 'kept');
