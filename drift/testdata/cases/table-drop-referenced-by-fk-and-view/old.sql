CREATE TABLE public.a (id int PRIMARY KEY, name text);
CREATE TABLE public.b (id int PRIMARY KEY, a_id int REFERENCES public.a (id));
CREATE VIEW public.a_names AS SELECT id, name FROM public.a;
CREATE VIEW public.b_with_a AS SELECT b.id, a.name FROM public.b JOIN public.a ON a.id = b.a_id;
