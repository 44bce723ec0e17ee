INSERT INTO "My App".t VALUES (1, 'Done');
