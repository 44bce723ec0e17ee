CREATE TABLE public.a (id int PRIMARY KEY, code text NOT NULL, region text NOT NULL, CONSTRAINT a_key UNIQUE (code));
CREATE TABLE public.b (id int PRIMARY KEY, a_code text REFERENCES public.a (code));
