CREATE TABLE public.parent (id int NOT NULL PRIMARY KEY);
CREATE TABLE public.child (id int PRIMARY KEY, parent_id int REFERENCES public.parent (id));
