CREATE PROCEDURE public.p(x int) LANGUAGE plpgsql AS $$ BEGIN RAISE NOTICE 'x=%', x; END $$;
