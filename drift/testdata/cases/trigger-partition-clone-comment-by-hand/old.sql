CREATE TABLE public.m (id int NOT NULL, k text NOT NULL) PARTITION BY LIST (k);
CREATE TABLE public.m_a PARTITION OF public.m FOR VALUES IN ('a');
CREATE TABLE public.m_b PARTITION OF public.m FOR VALUES IN ('b');
CREATE TABLE public.m_c PARTITION OF public.m FOR VALUES IN ('c');
CREATE FUNCTION public.noop() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER m_noop BEFORE INSERT ON public.m FOR EACH ROW EXECUTE FUNCTION public.noop();
COMMENT ON TRIGGER m_noop ON public.m_a IS 'set by hand';
COMMENT ON TRIGGER m_noop ON public.m_c IS 'goes with its partition';
