CREATE TYPE public.mood AS ENUM ('sad', 'happy');
CREATE FUNCTION public.mood_score(m public.mood) RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT CASE m WHEN 'sad' THEN 0 ELSE 1 END $$;
CREATE CAST (public.mood AS int) WITH FUNCTION public.mood_score(public.mood) AS ASSIGNMENT;
CREATE CAST (public.mood AS text) WITH INOUT;
COMMENT ON CAST (public.mood AS text) IS 'for reports';
-- a table whose default relies on the cast
CREATE TABLE public.moods (m public.mood, score int DEFAULT 'happy'::public.mood::int);
