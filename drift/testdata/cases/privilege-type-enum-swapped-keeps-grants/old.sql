CREATE TYPE public.mood AS ENUM ('sad', 'meh', 'ok', 'happy');
REVOKE USAGE ON TYPE public.mood FROM PUBLIC;
GRANT USAGE ON TYPE public.mood TO schemactl_case_reader;
CREATE TABLE public.t (id integer PRIMARY KEY, m public.mood);
INSERT INTO public.t VALUES (1, 'sad'), (2, 'happy');
