CREATE TYPE public.mood AS ENUM ('sad', 'happy');
CREATE FUNCTION public.mood_score(m public.mood) RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT CASE m WHEN 'sad' THEN 0 ELSE 1 END $$;
CREATE TABLE public.moods (m public.mood, score int DEFAULT 1);
