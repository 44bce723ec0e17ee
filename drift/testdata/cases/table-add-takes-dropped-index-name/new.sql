CREATE TABLE public.users (id int PRIMARY KEY);
CREATE TABLE public.users_email (user_id int REFERENCES public.users (id), email text NOT NULL, PRIMARY KEY (user_id, email));
