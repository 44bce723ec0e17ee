CREATE TABLE public.a (id int PRIMARY KEY, email text, CONSTRAINT email_key UNIQUE (email));
CREATE TABLE public.b (id int PRIMARY KEY, email text);
