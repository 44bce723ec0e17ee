CREATE TABLE public.t (id int PRIMARY KEY, v text);
CREATE VIEW public.v AS SELECT id, v FROM public.t;
CREATE FUNCTION public.v_ins() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN INSERT INTO public.t VALUES (NEW.id, NEW.v); RETURN NEW; END$$;
CREATE TRIGGER v_ins INSTEAD OF INSERT ON public.v FOR EACH ROW EXECUTE FUNCTION public.v_ins();
