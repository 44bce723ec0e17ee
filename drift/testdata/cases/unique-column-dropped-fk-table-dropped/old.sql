CREATE TABLE public.a (id int PRIMARY KEY, code text UNIQUE);
CREATE TABLE public.b (code text REFERENCES public.a (code));
