CREATE TYPE public.mood AS ENUM ('sad', 'ok', 'happy');
REVOKE USAGE ON TYPE public.mood FROM PUBLIC;
CREATE DOMAIN public.positive AS integer CHECK (VALUE > 0);
REVOKE USAGE ON TYPE public.positive FROM PUBLIC;
GRANT USAGE ON TYPE public.positive TO schemactl_case_reader;
CREATE TABLE public.t (id integer PRIMARY KEY, m public.mood, p public.positive);
