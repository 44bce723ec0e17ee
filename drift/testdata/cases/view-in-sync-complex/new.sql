CREATE TABLE public.t (id int PRIMARY KEY, n int, v text);
CREATE FUNCTION public.twice(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT x * 2';
CREATE MATERIALIZED VIEW public.m AS SELECT id, public.twice(n) AS n2 FROM public.t;
CREATE UNIQUE INDEX m_id ON public.m (id);
CREATE VIEW public.v1 AS SELECT id, n2 FROM public.m;
CREATE VIEW public.v2 WITH (security_barrier) AS SELECT id FROM public.v1 WHERE n2 > 0 WITH CASCADED CHECK OPTION;
CREATE FUNCTION public.v1_ins() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER v1_ins INSTEAD OF INSERT ON public.v1 FOR EACH ROW EXECUTE FUNCTION public.v1_ins();
COMMENT ON MATERIALIZED VIEW public.m IS 'm';
