-- A value is removed (the type is swapped) while a table Git drops stores the
-- type, also the removed value: the table goes before the old type does.
CREATE TYPE public.mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE public.people (id int PRIMARY KEY, mood public.mood);
CREATE TABLE public.mood_log (id int, mood public.mood DEFAULT 'ok');
INSERT INTO public.people VALUES (1, 'sad'), (2, 'happy');
INSERT INTO public.mood_log VALUES (1, 'ok');
