CREATE TYPE public.mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN public.positive AS integer CHECK (VALUE > 0);
CREATE TYPE public.span AS RANGE (subtype = integer);
CREATE TYPE public.pair AS (a integer, b text);
GRANT USAGE ON TYPE public.pair TO schemactl_case_reader;
CREATE TABLE public.t (id integer PRIMARY KEY, m public.mood, p public.positive);
