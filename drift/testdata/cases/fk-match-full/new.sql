CREATE TABLE public.a (x int, y int, CONSTRAINT a_xy UNIQUE (x, y));
CREATE TABLE public.b (id int PRIMARY KEY, x int, y int, CONSTRAINT b_xy_fk FOREIGN KEY (x, y) REFERENCES public.a (x, y) MATCH FULL);
