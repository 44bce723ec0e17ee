INSERT INTO both_kinds (id, lvl, label, note) VALUES (1, 'high', 'x', 'y');
