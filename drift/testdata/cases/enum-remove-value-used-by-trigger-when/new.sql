CREATE TYPE public.st AS ENUM ('a', 'c');
CREATE TABLE public.t (id int PRIMARY KEY, s public.st, note text);
CREATE FUNCTION public.mark() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN NEW.note := 'done'; RETURN NEW; END$$;
CREATE TRIGGER t_mark BEFORE UPDATE ON public.t FOR EACH ROW WHEN (NEW.s = 'c') EXECUTE FUNCTION public.mark();
