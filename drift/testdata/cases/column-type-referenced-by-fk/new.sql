CREATE TABLE public.a (id bigint PRIMARY KEY);
CREATE TABLE public.b (id int PRIMARY KEY, a_id bigint REFERENCES public.a (id));
