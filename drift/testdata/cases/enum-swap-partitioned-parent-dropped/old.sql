CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE readings (id int, m mood) PARTITION BY LIST (id);
CREATE TABLE readings_1 PARTITION OF readings FOR VALUES IN (1);
CREATE TABLE readings_2 PARTITION OF readings FOR VALUES IN (2);
