CREATE TYPE mood AS ENUM ('sad', 'happy');
CREATE TABLE child (id int, m mood, extra text);
