CREATE FUNCTION public.valid_n(x int) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT x >= 0';
CREATE TABLE public.t (id int PRIMARY KEY, n int CONSTRAINT t_n_valid CHECK (public.valid_n(n)), checked_at timestamptz);
CREATE FUNCTION public.stamp() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.checked_at := now(); RETURN NEW; END $$;
CREATE TRIGGER t_stamp BEFORE INSERT OR UPDATE ON public.t FOR EACH ROW WHEN (public.valid_n(NEW.n)) EXECUTE FUNCTION public.stamp();
