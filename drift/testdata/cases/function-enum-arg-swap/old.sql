CREATE TYPE public.mood AS ENUM ('sad', 'ok', 'happy');
CREATE FUNCTION public.is_happy(m public.mood) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$SELECT m = 'happy'$$;
