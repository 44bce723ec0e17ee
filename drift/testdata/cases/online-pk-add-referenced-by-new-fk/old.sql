CREATE TABLE public.parent (id int NOT NULL);
CREATE TABLE public.child (id int PRIMARY KEY, parent_id int);
