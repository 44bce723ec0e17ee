CREATE TABLE public.t (id int PRIMARY KEY, v text, n int);
CREATE PROCEDURE public.p(x int) LANGUAGE plpgsql AS $$ BEGIN RAISE NOTICE '%', x; END $$;
COMMENT ON PROCEDURE public.p(int) IS 'proc';
