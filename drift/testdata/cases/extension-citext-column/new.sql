CREATE EXTENSION citext;
CREATE TABLE public.users (id int PRIMARY KEY, email citext NOT NULL);
CREATE UNIQUE INDEX users_email ON public.users (email);
