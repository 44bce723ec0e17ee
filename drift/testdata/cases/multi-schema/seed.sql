INSERT INTO app.users VALUES (1, 'a');
INSERT INTO audit.log VALUES (1, now());
