CREATE TABLE public.a (code text NOT NULL, name text, CONSTRAINT a_code_key UNIQUE (code));
CREATE TABLE public.b (id int PRIMARY KEY, a_code text REFERENCES public.a (code));
