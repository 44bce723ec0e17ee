CREATE TYPE mood AS ENUM ('sad', 'happy', 'calm');
CREATE TABLE readings_1 (id int, m mood);
