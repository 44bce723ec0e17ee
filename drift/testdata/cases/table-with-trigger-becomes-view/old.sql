CREATE TABLE public.t (id int PRIMARY KEY, v text);
CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN NEW.v := lower(NEW.v); RETURN NEW; END$$;
CREATE TRIGGER t_touch BEFORE INSERT ON public.t FOR EACH ROW EXECUTE FUNCTION public.touch();
CREATE TABLE public.s (id int PRIMARY KEY, v text);
