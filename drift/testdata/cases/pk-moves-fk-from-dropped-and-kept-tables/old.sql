CREATE TABLE public.a (id int PRIMARY KEY, uid text NOT NULL UNIQUE);
CREATE TABLE public.b (a_id int REFERENCES public.a (id));
CREATE TABLE public.c (a_uid text REFERENCES public.a (uid));
