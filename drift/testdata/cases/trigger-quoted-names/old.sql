CREATE TABLE public."T" ("Id" int PRIMARY KEY, "When" timestamptz);
CREATE FUNCTION public."Touch"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW."When" := now(); RETURN NEW; END $$;
