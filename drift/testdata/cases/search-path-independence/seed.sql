INSERT INTO app.items VALUES (1, 'a');
