CREATE TYPE public.mood AS ENUM ('very sad', 'sad', 'ok', 'happy', 'ecstatic');
CREATE TABLE public.t (id int PRIMARY KEY, m public.mood);
