CREATE TABLE public.t (id int PRIMARY KEY, v text, n int);
CREATE FUNCTION public.v_ins() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO public.t (id, v) VALUES (NEW.id, NEW.v); RETURN NEW; END $$;
CREATE VIEW public.t_v AS SELECT id, v FROM public.t;
