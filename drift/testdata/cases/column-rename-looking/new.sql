CREATE TABLE public.people (id int PRIMARY KEY, full_name text);
