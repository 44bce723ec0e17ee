CREATE TABLE public.t (id int PRIMARY KEY, a int);
CREATE VIEW public.v AS SELECT id, a FROM public.t;
CREATE RULE v_insert AS ON INSERT TO public.v DO INSTEAD INSERT INTO public.t VALUES (NEW.id, NEW.a);
