CREATE UNLOGGED TABLE public.a_parent (id int PRIMARY KEY);
CREATE UNLOGGED TABLE public.b_child (id int PRIMARY KEY, parent_id int REFERENCES public.a_parent (id));
