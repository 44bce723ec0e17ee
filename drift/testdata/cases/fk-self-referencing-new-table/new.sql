CREATE TABLE public.other (id int);
CREATE TABLE public.nodes (id int PRIMARY KEY, parent_id int REFERENCES public.nodes (id) ON DELETE CASCADE);
