CREATE TABLE public.a (id int PRIMARY KEY, code text NOT NULL, region text NOT NULL, CONSTRAINT a_key UNIQUE (code, region));
CREATE TABLE public.b (id int PRIMARY KEY, a_code text, a_region text, FOREIGN KEY (a_code, a_region) REFERENCES public.a (code, region));
