CREATE TABLE public.docs (id int PRIMARY KEY, body text);
