CREATE TABLE public.users (id int PRIMARY KEY, nick text);
