CREATE TABLE public.a (id int PRIMARY KEY, code text NOT NULL, CONSTRAINT a_code_key UNIQUE (code));
CREATE TABLE public.b (id int PRIMARY KEY, a_code text REFERENCES public.a (code));
