CREATE TABLE public.t (id int PRIMARY KEY, v text, n int);
CREATE FUNCTION public.v_ins() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO public.t (id, v) VALUES (NEW.id, NEW.v); RETURN NEW; END $$;
CREATE VIEW public.t_v AS SELECT v, id FROM public.t;
CREATE TRIGGER t_v_ins INSTEAD OF INSERT ON public.t_v FOR EACH ROW EXECUTE FUNCTION public.v_ins();
COMMENT ON TRIGGER t_v_ins ON public.t_v IS 'writes through';
