CREATE TABLE public.a (id int PRIMARY KEY, email text);
CREATE TABLE public.b (id int PRIMARY KEY, email text, CONSTRAINT email_key UNIQUE (email));
