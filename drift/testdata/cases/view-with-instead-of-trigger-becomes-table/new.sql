CREATE TABLE public.t (id int PRIMARY KEY, v text);
CREATE TABLE public.v (id int PRIMARY KEY, v text);
CREATE FUNCTION public.v_ins() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN INSERT INTO public.t VALUES (NEW.id, NEW.v); RETURN NEW; END$$;
