CREATE TABLE public.users (id int PRIMARY KEY, email text);
CREATE INDEX users_email ON public.users (email);
