INSERT INTO readings (sensor, value) VALUES ('a', 1), ('b', 2);
