CREATE TABLE public.a (id bigint PRIMARY KEY);
CREATE TABLE public.b (id int PRIMARY KEY, a_id bigint);
ALTER TABLE public.b ADD CONSTRAINT b_a_fk FOREIGN KEY (a_id) REFERENCES public.a (id) NOT VALID;
