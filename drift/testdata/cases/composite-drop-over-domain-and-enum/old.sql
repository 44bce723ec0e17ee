CREATE TABLE public.anchor (id integer);
CREATE TYPE public.unit AS ENUM ('g', 'kg');
CREATE DOMAIN public.positive_amount AS numeric(10, 3) CHECK (VALUE > 0);
CREATE TYPE public.measure AS (amount public.positive_amount, unit public.unit);
CREATE TYPE public.measures AS (items public.measure[], total public.positive_amount);
