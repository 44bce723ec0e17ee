CREATE TABLE public.a (id int PRIMARY KEY, uid text NOT NULL);
CREATE TABLE public.b (id int PRIMARY KEY, a_id int REFERENCES public.a (id));
