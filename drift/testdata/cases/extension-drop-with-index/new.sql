CREATE TABLE public.docs (id int PRIMARY KEY, title text NOT NULL);
