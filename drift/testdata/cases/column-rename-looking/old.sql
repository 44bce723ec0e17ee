CREATE TABLE public.people (id int PRIMARY KEY, name text NOT NULL);
