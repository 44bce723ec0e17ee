CREATE TABLE public.events (id int, kind text NOT NULL, touched timestamptz) PARTITION BY LIST (kind);
CREATE TABLE public.events_a PARTITION OF public.events FOR VALUES IN ('a');
CREATE TABLE public.events_b PARTITION OF public.events FOR VALUES IN ('b') PARTITION BY LIST (id);
CREATE TABLE public.events_b1 PARTITION OF public.events_b FOR VALUES IN (1);
CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.touched := now(); RETURN NEW; END $$;
CREATE TRIGGER events_touch BEFORE UPDATE ON public.events FOR EACH ROW EXECUTE FUNCTION public.touch();
-- by hand, on two partitions only
ALTER TABLE public.events_a DISABLE TRIGGER events_touch;
ALTER TABLE public.events_b1 ENABLE REPLICA TRIGGER events_touch;
