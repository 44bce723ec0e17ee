CREATE TABLE public.a (id int NOT NULL UNIQUE, uid text PRIMARY KEY);
CREATE TABLE public.b (id int PRIMARY KEY, a_id int REFERENCES public.a (id));
