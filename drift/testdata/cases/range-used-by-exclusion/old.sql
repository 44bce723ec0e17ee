CREATE EXTENSION btree_gist;
CREATE TABLE public.rooms (id int PRIMARY KEY);
