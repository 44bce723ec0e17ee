CREATE TABLE items (id int, uid uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY);
