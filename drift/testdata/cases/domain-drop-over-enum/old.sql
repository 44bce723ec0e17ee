CREATE TABLE public.anchor (id integer);
CREATE TYPE public.shade AS ENUM ('red', 'green', 'blue');
CREATE DOMAIN public.warm_shade AS public.shade CHECK (VALUE <> 'blue');
