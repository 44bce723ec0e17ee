CREATE TABLE items (id int PRIMARY KEY, uid uuid NOT NULL DEFAULT gen_random_uuid());
