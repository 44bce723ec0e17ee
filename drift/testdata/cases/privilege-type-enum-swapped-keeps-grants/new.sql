CREATE TYPE public.mood AS ENUM ('sad', 'ok', 'happy');
REVOKE USAGE ON TYPE public.mood FROM PUBLIC;
GRANT USAGE ON TYPE public.mood TO schemactl_case_reader;
CREATE TABLE public.t (id integer PRIMARY KEY, m public.mood);
