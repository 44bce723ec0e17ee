CREATE TABLE public.a (id int PRIMARY KEY);
CREATE TABLE public.b (id int PRIMARY KEY, a_id int);
INSERT INTO public.a VALUES (1);
INSERT INTO public.b VALUES (1, 1), (2, 99);
ALTER TABLE public.b ADD CONSTRAINT b_a_fk FOREIGN KEY (a_id) REFERENCES public.a (id) NOT VALID;
