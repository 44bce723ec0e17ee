INSERT INTO readings VALUES (1, 'sad'), (2, 'happy');
