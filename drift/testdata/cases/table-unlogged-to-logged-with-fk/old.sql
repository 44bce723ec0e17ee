CREATE UNLOGGED TABLE public.parent (id int PRIMARY KEY);
CREATE UNLOGGED TABLE public.child (id int PRIMARY KEY, parent_id int REFERENCES public.parent (id));
