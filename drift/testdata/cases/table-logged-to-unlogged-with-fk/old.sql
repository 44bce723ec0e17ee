CREATE TABLE public.a_parent (id int PRIMARY KEY);
CREATE TABLE public.b_child (id int PRIMARY KEY, parent_id int REFERENCES public.a_parent (id));
