CREATE TABLE public.s (id int PRIMARY KEY, v text);
CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN NEW.v := lower(NEW.v); RETURN NEW; END$$;
CREATE VIEW public.t AS SELECT id, v FROM public.s;
